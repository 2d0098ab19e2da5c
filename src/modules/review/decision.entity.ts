import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

export enum DecisionKind {
  Approved = 'approved',
  ChangesRequested = 'changes_requested',
  Rejected = 'rejected',
}

/** Exactly what an approval let through: publishing sends these files and caption versions, no others. */
export interface ApprovalPin {
  generation: number;
  renditions: { role: string; variant: string; assetId: string; storageKey: string }[];
  captions: { language: string; version: number }[];
}

/** An editor's decision on an item in review, kept for ever as its history. */
@Entity('testimony_decisions')
export class Decision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'testimony_id', type: 'uuid' })
  testimonyId: string;

  @Column({ type: 'varchar', length: 20 })
  kind: DecisionKind;

  /** What the educator must change, or why the item was rejected; optional on approval. */
  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decidedBy: User | null;

  @Column({ type: 'jsonb', nullable: true })
  pinned: ApprovalPin | null;

  /** Consent records whose disguise (blurred face, altered voice…) the editor confirmed on approval. */
  @Column({ name: 'disguise_confirmed', type: 'uuid', array: true, default: () => "'{}'" })
  disguiseConfirmed: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
