import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ErrorFigures } from '../../common/errors/app-error';
import { Commune } from '../places/commune.entity';
import { User } from '../users/user.entity';
import { Asset } from './asset.entity';
import { ContentLanguage, MediaKind, TestimonyStatus } from './testimony-status';

@Entity('testimonies')
@Index(['educatorId', 'createdAt'])
@Index(['status', 'createdAt'])
export class Testimony {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'enum', enum: MediaKind, enumName: 'media_kind' })
  kind: MediaKind;

  /** The language spoken (or written) in the testimony. */
  @Column({ type: 'varchar', length: 2 })
  language: ContentLanguage;

  @Column({ type: 'enum', enum: TestimonyStatus, enumName: 'testimony_status', default: TestimonyStatus.Uploading })
  status: TestimonyStatus;

  /** 0-100 while a job works on the item. */
  @Column({ type: 'smallint', default: 0 })
  progress: number;

  /** Why processing failed, in words the educator can act on. */
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  /** The failure's code in the error model, and the figures it quotes: what the web app words in Khmer. */
  @Column({ name: 'failure_code', type: 'varchar', length: 40, nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_figures', type: 'jsonb', nullable: true })
  failureFigures: ErrorFigures | null;

  /** When the educator declared that the people shown agreed to be recorded. Nothing is published without it. */
  @Column({ name: 'consent_declared_at', type: 'timestamptz', nullable: true })
  consentDeclaredAt: Date | null;

  /** The tus upload this item came from; lets a crashed hand-over be finished without a duplicate. */
  @Column({ name: 'upload_id', type: 'varchar', length: 128, nullable: true, unique: true })
  uploadId: string | null;

  /** SHA-256 of the original bytes, computed while streaming; finds a repeated upload. */
  @Column({ name: 'original_sha256', type: 'char', length: 64, nullable: true })
  originalSha256: string | null;

  /** Bumped by each (re-)processing request; the job id carries it, so a stale job can tell it is stale. */
  @Column({ name: 'processing_generation', type: 'integer', default: 0 })
  processingGeneration: number;

  /** A thumbhash of the poster or photo, for an instant blurred preview before any image loads. */
  @Column({ type: 'text', nullable: true })
  placeholder: string | null;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @ManyToOne(() => Commune, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune: Commune;

  @Column({ name: 'educator_id', type: 'uuid' })
  educatorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'educator_id' })
  educator: User;

  @OneToMany(() => Asset, (asset) => asset.testimony)
  assets: Asset[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
