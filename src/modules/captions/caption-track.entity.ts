import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Testimony } from '../testimonies/testimony.entity';
import { User } from '../users/user.entity';
import { CaptionLanguage, Cue } from './caption.types';

/** Where the current cues came from: a file someone sent, speech recognition, or a person's edit. */
export type CaptionSource = 'uploaded' | 'machine' | 'edited';

/** The current captions of one testimony in one language. Each save bumps `version` and keeps a copy. */
@Entity('caption_tracks')
@Unique('uq_caption_tracks_testimony_language', ['testimonyId', 'language'])
export class CaptionTrack {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'testimony_id', type: 'uuid' })
  testimonyId: string;

  @ManyToOne(() => Testimony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'testimony_id' })
  testimony: Testimony;

  @Column({ type: 'varchar', length: 2 })
  language: CaptionLanguage;

  @Column({ type: 'varchar', length: 16 })
  source: CaptionSource;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  cues: Cue[];

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedById: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by' })
  updatedBy: User | null;

  /** Set by the service on each save, not by TypeORM, so it is the time of the caption change itself. */
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
