import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

export enum WithdrawalChannel {
  InPerson = 'in_person',
  Phone = 'phone',
  Message = 'message',
  ThroughEducator = 'through_educator',
  Letter = 'letter',
  Other = 'other',
}

/**
 * What a withdrawal must get done, in the order people check them. Each is recorded with its time, and
 * the item shows them until all are done, so an editor can tell the person "it is down".
 */
export enum WithdrawalStepName {
  LeftReview = 'left_review',
  LinksStopped = 'links_stopped',
  SchedulesCancelled = 'schedules_cancelled',
  PageTakedown = 'page_takedown',
  MediaDeleted = 'media_deleted',
}

export enum StepState {
  Pending = 'pending',
  Done = 'done',
  /** Nothing to do (nothing was scheduled, nothing was on the Page). */
  NotNeeded = 'not_needed',
  /** An admin chose to keep the media for the record. */
  Skipped = 'skipped',
}

@Entity('withdrawals')
export class Withdrawal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'testimony_id', type: 'uuid', nullable: true })
  testimonyId: string | null;

  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  @Column({ name: 'received_via', type: 'varchar', length: 20 })
  receivedVia: WithdrawalChannel;

  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'recorded_by' })
  recordedBy: User | null;

  @Column({ name: 'media_purge_due_at', type: 'timestamptz' })
  mediaPurgeDueAt: Date;

  @Column({ name: 'media_kept_by', type: 'uuid', nullable: true })
  mediaKeptById: string | null;

  @Column({ name: 'media_kept_reason', type: 'text', nullable: true })
  mediaKeptReason: string | null;

  @OneToMany(() => WithdrawalStep, (step) => step.withdrawal)
  steps: WithdrawalStep[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('withdrawal_steps')
export class WithdrawalStep {
  @PrimaryColumn({ name: 'withdrawal_id', type: 'uuid' })
  withdrawalId: string;

  @ManyToOne(() => Withdrawal, (w) => w.steps, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'withdrawal_id' })
  withdrawal: Withdrawal;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  step: WithdrawalStepName;

  @Column({ type: 'varchar', length: 12 })
  state: StepState;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt: Date | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail: Record<string, unknown>;
}
