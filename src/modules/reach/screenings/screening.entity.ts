import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Commune } from '../../places/commune.entity';

export type AttendeeSex = 'female' | 'male' | 'other';
export const ATTENDEE_SEXES: readonly AttendeeSex[] = ['female', 'male', 'other'];
/** Bands that match the campaign's donor indicators (under 15, 15-17 minors, then adults). */
export const AGE_BANDS = ['0-14', '15-17', '18-24', '25-34', '35-49', '50+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/**
 * A community screening or self-help-group session. Its register names no one: each attendee is a
 * pseudonymous key made on the educator's phone, so repeat attendance is recognised and never stored
 * in clear. A large open screening may record a headcount only (`countsOnly`), kept apart from unique people.
 */
@Entity('screenings')
export class Screening {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The day, in Phnom Penh (YYYY-MM-DD). */
  @Column({ name: 'held_on', type: 'date' })
  heldOn: string;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @ManyToOne(() => Commune, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune: Commune;

  @Column({ name: 'group_name', type: 'varchar', length: 200 })
  groupName: string;

  @Column({ name: 'counts_only', type: 'boolean', default: false })
  countsOnly: boolean;

  /** The register's length, or the headcount of a counts-only screening. */
  @Column({ type: 'integer' })
  headcount: number;

  /** The items shown, as sorted ids: what duplicates are matched on. */
  @Column({ name: 'items_key', type: 'text' })
  itemsKey: string;

  /** An earlier screening of the same group, day and items: shown to the lead who verifies. */
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOfId: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedById: string;

  @Column({ name: 'verified_by', type: 'uuid', nullable: true })
  verifiedById: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @OneToMany(() => ScreeningItem, (item) => item.screening)
  items: ScreeningItem[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('screening_items')
export class ScreeningItem {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId: string;

  @PrimaryColumn({ name: 'testimony_id', type: 'uuid' })
  testimonyId: string;

  @ManyToOne(() => Screening, (s) => s.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'screening_id' })
  screening: Screening;
}

@Entity('screening_attendances')
export class ScreeningAttendance {
  @PrimaryColumn({ name: 'screening_id', type: 'uuid' })
  screeningId: string;

  /** Hex SHA-256 made on the phone from name, sex, birth year and village. */
  @PrimaryColumn({ name: 'person_key', type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 6 })
  sex: AttendeeSex;

  @Column({ name: 'age_band', type: 'varchar', length: 6 })
  ageBand: AgeBand;
}
