import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { JobRecord } from './job-record';

/**
 * - requeued: PostgreSQL said the work was under way, but its job was gone from Redis (lost data, a
 *   crash between a commit and its enqueue); it was added again.
 * - settled: its job had failed for good, but the row still said it was running; it was marked failed.
 */
export type RecoveryAction = 'requeued' | 'settled';

/** One piece of work the reconciler recovered: what admins look at to see how often the queue loses work. */
@Entity('job_recoveries')
@Index(['recoveredAt'])
export class JobRecovery extends JobRecord {
  @Column({ type: 'varchar', length: 16 })
  action: RecoveryAction;

  @CreateDateColumn({ name: 'recovered_at', type: 'timestamptz' })
  recoveredAt: Date;
}
