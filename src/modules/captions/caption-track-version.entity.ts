import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../users/user.entity';
import { CaptionSource, CaptionTrack } from './caption-track.entity';
import { Cue } from './caption.types';

/** A saved state of a track, kept so any edit can be undone by restoring an earlier version. */
@Entity('caption_track_versions')
@Unique('uq_caption_track_versions_track_version', ['trackId', 'version'])
export class CaptionTrackVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'track_id', type: 'uuid' })
  trackId: string;

  @ManyToOne(() => CaptionTrack, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'track_id' })
  track: CaptionTrack;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  cues: Cue[];

  @Column({ type: 'varchar', length: 16 })
  source: CaptionSource;

  @Column({ name: 'changed_by', type: 'uuid', nullable: true })
  changedById: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'changed_by' })
  changedBy: User | null;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt: Date;
}
