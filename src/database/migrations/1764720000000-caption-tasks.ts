import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaptionTasks1764720000000 implements MigrationInterface {
  name = 'CaptionTasks1764720000000';

  async up(db: QueryRunner): Promise<void> {
    // The latest request of each kind per track: what people see as "proposing timings…", "rendering 40 %".
    // `request` counts requests, so a job left over from an earlier request can tell it is stale.
    await db.query(`CREATE TABLE caption_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      language varchar(2) NOT NULL CHECK (language IN ('km', 'en', 'th')),
      kind varchar(16) NOT NULL CHECK (kind IN ('speech-segments', 'transcript', 'burn-in')),
      status varchar(16) NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
      request integer NOT NULL CHECK (request >= 1),
      progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      track_version integer,
      cues jsonb CHECK (cues IS NULL OR jsonb_typeof(cues) = 'array'),
      outcome varchar(16) CHECK (outcome IS NULL OR outcome IN ('applied', 'kept-edits', 'draft-only')),
      error text,
      requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      CONSTRAINT uq_caption_tasks_testimony_language_kind UNIQUE (testimony_id, language, kind)
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE caption_tasks`);
  }
}
