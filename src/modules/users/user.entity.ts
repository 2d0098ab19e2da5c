import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Commune } from '../places/commune.entity';
import { Language, Role } from './role';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-case; sign-in is case-insensitive because phones capitalise the first letter. */
  @Column({ type: 'varchar', length: 32, unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 80 })
  displayName: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'enum', enum: Role, enumName: 'user_role' })
  role: Role;

  /** Required for educators (a database check enforces it): their items belong to this commune by default. */
  @Column({ name: 'commune_id', type: 'uuid', nullable: true })
  communeId: string | null;

  @ManyToOne(() => Commune, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune: Commune | null;

  @Column({ name: 'preferred_language', type: 'varchar', length: 2, default: 'km' })
  preferredLanguage: Language;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  /** Bumped on password reset, role change and deactivation, so sessions issued before stop working at once. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The part of a user a session is checked against. */
export type SessionHolder = Pick<User, 'id' | 'username' | 'role' | 'communeId' | 'mustChangePassword' | 'tokenVersion' | 'active'>;
