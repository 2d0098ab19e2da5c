import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { JobRecord } from './job-record';

/** A failed job attempt, kept in PostgreSQL so admins see failures after Redis has trimmed them. */
@Entity('job_failures')
@Index(['failedAt'])
export class JobFailure extends JobRecord {
  @Column({ name: 'attempts_made', type: 'integer' })
  attemptsMade: number;

  /** True when no retry will follow: the job has failed for good. */
  @Column({ type: 'boolean' })
  final: boolean;

  @Column({ type: 'text' })
  reason: string;

  @CreateDateColumn({ name: 'failed_at', type: 'timestamptz' })
  failedAt: Date;
}
