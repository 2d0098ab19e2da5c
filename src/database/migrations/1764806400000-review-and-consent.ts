import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The editorial gate: decisions with what they pinned, comments, consent records per person shown, and
 * withdrawals with their steps. The item's status loses `scheduled` and `published`: publications are
 * rows of their own, and nothing ever reached those states.
 */
export class ReviewAndConsent1764806400000 implements MigrationInterface {
  name = 'ReviewAndConsent1764806400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TYPE testimony_status RENAME TO testimony_status_old`);
    await db.query(`CREATE TYPE testimony_status AS ENUM (
      'uploading', 'processing', 'processing_failed', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn')`);
    await db.query(`ALTER TABLE testimonies ALTER COLUMN status DROP DEFAULT`);
    await db.query(`ALTER TABLE testimonies ALTER COLUMN status TYPE testimony_status USING (
      CASE status::text WHEN 'scheduled' THEN 'approved' WHEN 'published' THEN 'approved' ELSE status::text END)::testimony_status`);
    await db.query(`ALTER TABLE testimonies ALTER COLUMN status SET DEFAULT 'uploading'`);
    await db.query(`DROP TYPE testimony_status_old`);
    // The review queue is oldest first within a state.
    await db.query(`CREATE INDEX idx_testimonies_status_updated ON testimonies(status, updated_at)`);

    await db.query(`CREATE TABLE testimony_decisions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      kind varchar(20) NOT NULL CHECK (kind IN ('approved', 'changes_requested', 'rejected')),
      note text NOT NULL DEFAULT '',
      decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
      pinned jsonb,
      disguise_confirmed uuid[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX idx_testimony_decisions_testimony ON testimony_decisions(testimony_id, created_at)`);

    await db.query(`CREATE TABLE testimony_comments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      author_id uuid REFERENCES users(id) ON DELETE SET NULL,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
      timecode_ms integer CHECK (timecode_ms IS NULL OR timecode_ms >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX idx_testimony_comments_testimony ON testimony_comments(testimony_id, created_at)`);

    await db.query(`CREATE TABLE withdrawals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid REFERENCES testimonies(id) ON DELETE SET NULL,
      received_on date NOT NULL,
      received_via varchar(20) NOT NULL CHECK (received_via IN ('in_person', 'phone', 'message', 'through_educator', 'letter', 'other')),
      note text NOT NULL DEFAULT '',
      recorded_by uuid REFERENCES users(id) ON DELETE SET NULL,
      media_purge_due_at timestamptz NOT NULL,
      media_kept_by uuid REFERENCES users(id) ON DELETE SET NULL,
      media_kept_reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE withdrawal_steps (
      withdrawal_id uuid NOT NULL REFERENCES withdrawals(id) ON DELETE CASCADE,
      step varchar(24) NOT NULL,
      state varchar(12) NOT NULL CHECK (state IN ('pending', 'done', 'not_needed', 'skipped')),
      done_at timestamptz,
      detail jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (withdrawal_id, step)
    )`);
    await db.query(`CREATE INDEX idx_withdrawal_steps_pending ON withdrawal_steps(step) WHERE state = 'pending'`);

    // Consent outlives the item: records are never deleted, only withdrawn, and their evidence is kept
    // apart from the item's media (consent/<record id>/...), so deleting an item leaves the proof.
    await db.query(`CREATE TABLE consent_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid REFERENCES testimonies(id) ON DELETE SET NULL,
      person_label varchar(100) NOT NULL,
      is_minor boolean NOT NULL,
      guardian_name varchar(200),
      guardian_relationship varchar(100),
      child_assent boolean,
      method varchar(20) NOT NULL CHECK (method IN ('written_form', 'verbal_recording', 'thumbprint')),
      evidence_key text,
      evidence_mime varchar(100),
      evidence_bytes bigint,
      explained_by varchar(200) NOT NULL,
      explanation_language varchar(40) NOT NULL,
      channels text[] NOT NULL CHECK (cardinality(channels) >= 1),
      identifiability varchar(20) NOT NULL CHECK (identifiability IN ('fully', 'name_withheld', 'face_blurred', 'voice_altered', 'not_shown')),
      given_on date NOT NULL,
      valid_until date NOT NULL CHECK (valid_until >= given_on),
      restrictions text NOT NULL DEFAULT '',
      referral_given boolean NOT NULL,
      withdrawn_at timestamptz,
      withdrawal_id uuid REFERENCES withdrawals(id),
      recorded_by uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ck_consent_minor_never_fully CHECK (NOT (is_minor AND identifiability = 'fully')),
      CONSTRAINT ck_consent_minor_guardian CHECK (NOT is_minor OR (guardian_name IS NOT NULL AND guardian_relationship IS NOT NULL AND child_assent IS TRUE))
    )`);
    await db.query(`CREATE INDEX idx_consent_records_testimony ON consent_records(testimony_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consent_records`);
    await db.query(`DROP TABLE withdrawal_steps`);
    await db.query(`DROP TABLE withdrawals`);
    await db.query(`DROP TABLE testimony_comments`);
    await db.query(`DROP TABLE testimony_decisions`);
    await db.query(`DROP INDEX idx_testimonies_status_updated`);
    await db.query(`ALTER TYPE testimony_status ADD VALUE 'scheduled'`);
    await db.query(`ALTER TYPE testimony_status ADD VALUE 'published'`);
  }
}
