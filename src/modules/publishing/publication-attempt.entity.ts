import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AttemptStep = 'photo' | 'video_start' | 'video_finish' | 'captions' | 'reconcile' | 'takedown';
export type AttemptOutcome = 'ok' | 'failed' | 'unknown' | 'found' | 'not_found' | 'already_gone';

/** A call about to change something on the Page, recorded before it is sent and settled after. */
@Entity('publication_attempts')
export class PublicationAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'publication_id', type: 'uuid' })
  publicationId: string;

  @Column({ type: 'varchar', length: 20 })
  step: AttemptStep;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: AttemptOutcome | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail: Record<string, unknown>;
}
