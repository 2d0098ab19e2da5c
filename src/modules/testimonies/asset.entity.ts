import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Testimony } from './testimony.entity';

/** One stored file of a testimony: the private original, or a rendition made from it. */
export enum AssetRole {
  Original = 'original',
  Publish = 'publish',
  Review = 'review',
  Poster = 'poster',
  Thumbnail = 'thumbnail',
  Preview = 'preview',
  Captions = 'captions',
}

@Entity('assets')
@Unique('uq_assets_storage_key', ['storageKey'])
// One row per rendition, so processing upserts on it and a re-run replaces rather than duplicates.
@Index('uq_assets_testimony_role_variant', ['testimonyId', 'role', 'variant'], { unique: true })
export class Asset {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'testimony_id', type: 'uuid' })
  testimonyId: string;

  @ManyToOne(() => Testimony, (testimony) => testimony.assets, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'testimony_id' })
  testimony: Testimony;

  @Column({ type: 'enum', enum: AssetRole, enumName: 'asset_role' })
  role: AssetRole;

  /** Variant within a role, such as '320w' for a thumbnail size; empty when there is one. */
  @Column({ type: 'varchar', length: 32, default: '' })
  variant: string;

  /** Derived from ids only (see storage-keys.ts); never from a user-supplied name. */
  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
  mimeType: string;

  @Column({ name: 'byte_size', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  byteSize: number;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  /** The name the file had on the educator's phone, kept as typed (Khmer included) for people, never for keys. */
  @Column({ name: 'original_filename', type: 'text', nullable: true })
  originalFilename: string | null;

  /** What the rendition is made of (codecs, bitrate, frame rate), for people diagnosing a file. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: object;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
