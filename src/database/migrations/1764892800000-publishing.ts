import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Page connection and publications. States are checked text, not enum types, so publishing can grow
 * a state without an ALTER TYPE. One live publication per item: the partial unique index is what lets
 * exactly one of two editors scheduling the same item at once win.
 */
export class Publishing1764892800000 implements MigrationInterface {
  name = 'Publishing1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE facebook_pages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      page_id varchar(64) NOT NULL,
      name varchar(200) NOT NULL,
      token_sealed text NOT NULL,
      token_type varchar(16) NOT NULL,
      scopes text[] NOT NULL DEFAULT '{}',
      scheduling varchar(10) NOT NULL DEFAULT 'worker' CHECK (scheduling IN ('worker', 'facebook')),
      simulated boolean NOT NULL DEFAULT false,
      state varchar(16) NOT NULL DEFAULT 'working' CHECK (state IN ('working', 'throttled', 'needs_reconnect')),
      state_reason text,
      throttled_until timestamptz,
      connected_by uuid REFERENCES users(id) ON DELETE SET NULL,
      connected_at timestamptz NOT NULL DEFAULT now(),
      disconnected_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE UNIQUE INDEX uq_facebook_pages_connected ON facebook_pages ((true)) WHERE disconnected_at IS NULL`);

    await db.query(`CREATE TABLE publications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE RESTRICT,
      page_ref uuid NOT NULL REFERENCES facebook_pages(id),
      decision_id uuid NOT NULL REFERENCES testimony_decisions(id),
      kind varchar(8) NOT NULL CHECK (kind IN ('video', 'photo')),
      state varchar(12) NOT NULL CHECK (state IN ('scheduled', 'publishing', 'published', 'failed', 'unknown', 'cancelled', 'taken_down')),
      version integer NOT NULL DEFAULT 1,
      scheduled_at timestamptz NOT NULL,
      handed_to_facebook boolean NOT NULL DEFAULT false,
      message_km text NOT NULL DEFAULT '',
      message_en text NOT NULL DEFAULT '',
      pinned jsonb NOT NULL,
      photo_id varchar(64),
      post_id varchar(128),
      video_id varchar(64),
      upload_session_id varchar(128),
      upload_start_offset bigint,
      upload_end_offset bigint,
      create_started_at timestamptz,
      published_at timestamptz,
      takedown_requested_at timestamptz,
      taken_down_at timestamptz,
      error_kind varchar(20),
      error_code integer,
      error_subcode integer,
      error_message text,
      error_user_message text,
      created_by uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE UNIQUE INDEX uq_publications_live ON publications(testimony_id) WHERE state IN ('scheduled', 'publishing', 'unknown', 'published')`);
    await db.query(`CREATE INDEX idx_publications_due ON publications(scheduled_at) WHERE state = 'scheduled'`);
    await db.query(`CREATE INDEX idx_publications_takedown ON publications(takedown_requested_at) WHERE takedown_requested_at IS NOT NULL AND taken_down_at IS NULL`);

    // Every call that changes something on the Page, written before it is sent and settled after: the
    // record that makes "never post twice" checkable.
    await db.query(`CREATE TABLE publication_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      publication_id uuid NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
      step varchar(20) NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      outcome varchar(16),
      detail jsonb NOT NULL DEFAULT '{}'
    )`);
    await db.query(`CREATE INDEX idx_publication_attempts_publication ON publication_attempts(publication_id, started_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE publication_attempts`);
    await db.query(`DROP TABLE publications`);
    await db.query(`DROP TABLE facebook_pages`);
  }
}
