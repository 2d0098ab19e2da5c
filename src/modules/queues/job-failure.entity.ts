import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A failed job attempt, kept in PostgreSQL so admins see failures after Redis has trimmed them. */
@Entity('job_failures')
@Index(['failedAt'])
export class JobFailure {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName: string;

  @Column({ name: 'job_id', type: 'varchar', length: 128 })
  jobId: string;

  @Column({ name: 'testimony_id', type: 'uuid', nullable: true })
  testimonyId: string | null;

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
