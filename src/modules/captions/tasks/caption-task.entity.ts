import { ErrorFigures } from '../../../common/errors/app-error';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Testimony } from '../../testimonies/testimony.entity';
import { User } from '../../users/user.entity';
import { CaptionLanguage, Cue } from '../caption.types';

/**
 * Work done for captions in the background:
 * - speech-segments: empty cues timed to where people speak, for a person to fill in;
 * - transcript: a machine transcript (a draft; it becomes the track only while no person has touched it);
 * - burn-in: a captioned MP4 rendered from the publish rendition.
 */
export type CaptionTaskKind = 'speech-segments' | 'transcript' | 'burn-in';
export const CAPTION_TASK_KINDS: readonly CaptionTaskKind[] = ['speech-segments', 'transcript', 'burn-in'];

export type CaptionTaskStatus = 'queued' | 'running' | 'done' | 'failed';

/** What became of a transcript: made the track, left a person's cues alone, or could not be used as a track. */
export type TranscriptOutcome = 'applied' | 'kept-edits' | 'draft-only';

/** The latest request of one kind for one track; a new request reuses the row and bumps `request`. */
@Entity('caption_tasks')
@Unique('uq_caption_tasks_testimony_language_kind', ['testimonyId', 'language', 'kind'])
export class CaptionTask {
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
  kind: CaptionTaskKind;

  @Column({ type: 'varchar', length: 16 })
  status: CaptionTaskStatus;

  /** Counts requests; the job carries the one it was made for, so a leftover job can tell it is stale. */
  @Column({ type: 'integer' })
  request: number;

  @Column({ type: 'smallint', default: 0 })
  progress: number;

  /** burn-in: the track version drawn into the video. */
  @Column({ name: 'track_version', type: 'integer', nullable: true })
  trackVersion: number | null;

  /** speech-segments and transcript: the proposed cues. */
  @Column({ type: 'jsonb', nullable: true })
  cues: Cue[] | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: TranscriptOutcome | null;

  /** Why it failed, in words the person who asked can act on. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The failure's code in the error model and the figures it quotes, for the reader's language. */
  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_figures', type: 'jsonb', nullable: true })
  errorFigures: ErrorFigures | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedById: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'requested_by' })
  requestedBy: User | null;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
