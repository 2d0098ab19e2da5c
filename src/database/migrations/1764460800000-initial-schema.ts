import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764460800000 implements MigrationInterface {
  name = 'InitialSchema1764460800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE provinces (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code varchar(2) NOT NULL UNIQUE,
      name_km text NOT NULL,
      name_en text NOT NULL
    )`);
    await db.query(`CREATE TABLE communes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code varchar(6) NOT NULL UNIQUE,
      name_km text NOT NULL,
      name_en text NOT NULL,
      district_km text NOT NULL,
      district_en text NOT NULL,
      province_id uuid NOT NULL REFERENCES provinces(id) ON DELETE RESTRICT
    )`);
    await db.query(`CREATE INDEX idx_communes_province ON communes(province_id)`);

    await db.query(`CREATE TYPE user_role AS ENUM ('educator', 'editor', 'lead', 'admin')`);
    await db.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username varchar(32) NOT NULL UNIQUE CHECK (username = lower(username)),
      display_name varchar(80) NOT NULL,
      password_hash text NOT NULL,
      role user_role NOT NULL,
      commune_id uuid REFERENCES communes(id) ON DELETE RESTRICT,
      preferred_language varchar(2) NOT NULL DEFAULT 'km' CHECK (preferred_language IN ('km', 'en')),
      active boolean NOT NULL DEFAULT true,
      must_change_password boolean NOT NULL DEFAULT false,
      token_version integer NOT NULL DEFAULT 0,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT chk_users_educator_commune CHECK (role <> 'educator' OR commune_id IS NOT NULL)
    )`);

    await db.query(`CREATE TYPE media_kind AS ENUM ('video', 'photo')`);
    await db.query(`CREATE TYPE testimony_status AS ENUM (
      'uploading', 'processing', 'processing_failed', 'in_review', 'changes_requested',
      'approved', 'scheduled', 'published', 'withdrawn'
    )`);
    await db.query(`CREATE TABLE testimonies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title varchar(200) NOT NULL,
      description text NOT NULL DEFAULT '',
      kind media_kind NOT NULL,
      language varchar(2) NOT NULL CHECK (language IN ('km', 'en', 'th')),
      status testimony_status NOT NULL DEFAULT 'uploading',
      progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      failure_reason text,
      consent_declared_at timestamptz,
      commune_id uuid NOT NULL REFERENCES communes(id) ON DELETE RESTRICT,
      educator_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX idx_testimonies_educator_created ON testimonies(educator_id, created_at)`);
    await db.query(`CREATE INDEX idx_testimonies_status_created ON testimonies(status, created_at)`);

    await db.query(`CREATE TYPE asset_role AS ENUM ('original', 'publish', 'review', 'poster', 'thumbnail', 'preview', 'captions')`);
    await db.query(`CREATE TABLE assets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      role asset_role NOT NULL,
      variant varchar(32) NOT NULL DEFAULT '',
      storage_key text NOT NULL,
      mime_type varchar(100) NOT NULL,
      byte_size bigint NOT NULL CHECK (byte_size >= 0),
      sha256 char(64),
      width integer,
      height integer,
      duration_ms integer,
      original_filename text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_assets_storage_key UNIQUE (storage_key)
    )`);
    // One row per rendition: a retried job replaces its output instead of adding a duplicate.
    await db.query(`CREATE UNIQUE INDEX uq_assets_testimony_role_variant ON assets(testimony_id, role, variant)`);

    await db.query(`CREATE TABLE audit_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      actor_id uuid,
      actor_username varchar(32),
      action varchar(64) NOT NULL,
      target_type varchar(32),
      target_id varchar(64),
      details jsonb NOT NULL DEFAULT '{}',
      ip varchar(64),
      user_agent varchar(300),
      request_id varchar(64),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX idx_audit_events_created ON audit_events(created_at)`);
    await db.query(`CREATE INDEX idx_audit_events_target ON audit_events(target_type, target_id)`);

    await db.query(`CREATE TABLE job_failures (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      queue varchar(64) NOT NULL,
      job_name varchar(64) NOT NULL,
      job_id varchar(128) NOT NULL,
      testimony_id uuid,
      attempts_made integer NOT NULL,
      final boolean NOT NULL,
      reason text NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX idx_job_failures_failed ON job_failures(failed_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE job_failures`);
    await db.query(`DROP TABLE audit_events`);
    await db.query(`DROP TABLE assets`);
    await db.query(`DROP TYPE asset_role`);
    await db.query(`DROP TABLE testimonies`);
    await db.query(`DROP TYPE testimony_status`);
    await db.query(`DROP TYPE media_kind`);
    await db.query(`DROP TABLE users`);
    await db.query(`DROP TYPE user_role`);
    await db.query(`DROP TABLE communes`);
    await db.query(`DROP TABLE provinces`);
  }
}
