import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';

export enum ConsentMethod {
  WrittenForm = 'written_form',
  VerbalRecording = 'verbal_recording',
  Thumbprint = 'thumbprint',
}

export enum ConsentChannel {
  FacebookPage = 'facebook_page',
  CommunityScreenings = 'community_screenings',
  DonorReports = 'donor_reports',
}

/** How identifiable the person may be in what is shown, from most to least. */
export enum Identifiability {
  Fully = 'fully',
  NameWithheld = 'name_withheld',
  FaceBlurred = 'face_blurred',
  VoiceAltered = 'voice_altered',
  NotShown = 'not_shown',
}

/** Anything short of "fully" asks the editor to confirm, on approval, that the version published honours it. */
export const NEEDS_DISGUISE: readonly Identifiability[] = [Identifiability.NameWithheld, Identifiability.FaceBlurred, Identifiability.VoiceAltered, Identifiability.NotShown];

/**
 * The informed consent of one person shown in a testimony. Never deleted, only withdrawn: the record is
 * the proof of what the person agreed to and when they changed their mind.
 */
@Entity('consent_records')
export class ConsentRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'testimony_id', type: 'uuid', nullable: true })
  testimonyId: string | null;

  /** A pseudonym or initials: the real name is not needed and is safer left out. */
  @Column({ name: 'person_label', type: 'varchar', length: 100 })
  personLabel: string;

  @Column({ name: 'is_minor', type: 'boolean' })
  isMinor: boolean;

  @Column({ name: 'guardian_name', type: 'varchar', length: 200, nullable: true })
  guardianName: string | null;

  @Column({ name: 'guardian_relationship', type: 'varchar', length: 100, nullable: true })
  guardianRelationship: string | null;

  /** The child's own agreement, beside the guardian's permission. */
  @Column({ name: 'child_assent', type: 'boolean', nullable: true })
  childAssent: boolean | null;

  @Column({ type: 'varchar', length: 20 })
  method: ConsentMethod;

  /** The photo of the form or the recording, metadata stripped; private, for editors and admins only. */
  @Column({ name: 'evidence_key', type: 'text', nullable: true })
  evidenceKey: string | null;

  @Column({ name: 'evidence_mime', type: 'varchar', length: 100, nullable: true })
  evidenceMime: string | null;

  @Column({ name: 'evidence_bytes', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  evidenceBytes: number | null;

  @Column({ name: 'explained_by', type: 'varchar', length: 200 })
  explainedBy: string;

  @Column({ name: 'explanation_language', type: 'varchar', length: 40 })
  explanationLanguage: string;

  @Column({ type: 'text', array: true })
  channels: ConsentChannel[];

  @Column({ type: 'varchar', length: 20 })
  identifiability: Identifiability;

  /** Calendar dates (YYYY-MM-DD): consent is given on a day, not at an instant. */
  @Column({ name: 'given_on', type: 'date' })
  givenOn: string;

  @Column({ name: 'valid_until', type: 'date' })
  validUntil: string;

  @Column({ type: 'text', default: '' })
  restrictions: string;

  /** Whether the person was told where to find help (WHO's recommendation for trafficked persons). */
  @Column({ name: 'referral_given', type: 'boolean' })
  referralGiven: boolean;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawal_id', type: 'uuid', nullable: true })
  withdrawalId: string | null;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'recorded_by' })
  recordedBy: User | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
