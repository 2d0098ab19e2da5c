import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reach1765400000000 implements MigrationInterface {
  name = 'Reach1765400000000';

  async up(db: QueryRunner): Promise<void> {
    // Every reading of a metric, as Meta gave it, kept as history: a later reading never overwrites an
    // earlier one, so a figure on a donor report can always be traced to when and how it was read.
    await db.query(`CREATE TABLE insight_snapshots (
      id bigserial PRIMARY KEY,
      page_ref uuid NOT NULL,
      publication_id uuid REFERENCES publications(id) ON DELETE SET NULL,
      object_id varchar(128) NOT NULL,
      subject varchar(8) NOT NULL CHECK (subject IN ('page', 'post', 'video')),
      metric varchar(80) NOT NULL,
      period varchar(16) NOT NULL,
      end_time timestamptz,
      value jsonb NOT NULL,
      value_number numeric,
      read_at timestamptz NOT NULL,
      api_version varchar(8) NOT NULL
    )`);
    await db.query(`CREATE INDEX idx_insight_snapshots_object ON insight_snapshots(object_id, metric, period, read_at)`);
    // The newest reading per object, metric, period and end time: what dashboards read, so their cost
    // does not grow with the history.
    await db.query(`CREATE TABLE insight_latest (
      object_id varchar(128) NOT NULL,
      metric varchar(80) NOT NULL,
      period varchar(16) NOT NULL,
      end_time timestamptz NOT NULL DEFAULT 'epoch',
      page_ref uuid NOT NULL,
      publication_id uuid REFERENCES publications(id) ON DELETE SET NULL,
      subject varchar(8) NOT NULL,
      value jsonb NOT NULL,
      value_number numeric,
      read_at timestamptz NOT NULL,
      api_version varchar(8) NOT NULL,
      PRIMARY KEY (object_id, metric, period, end_time)
    )`);
    await db.query(`CREATE INDEX idx_insight_latest_publication ON insight_latest(publication_id, metric) WHERE publication_id IS NOT NULL`);
    await db.query(`CREATE INDEX idx_insight_latest_page_metric ON insight_latest(metric, period, end_time) WHERE subject = 'page'`);
    // When each object was last read: the sync reads recent posts often and old ones rarely.
    await db.query(`CREATE TABLE insight_sync_marks (
      object_id varchar(128) PRIMARY KEY,
      subject varchar(8) NOT NULL,
      last_synced_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE TABLE insight_refusals (
      page_ref uuid NOT NULL,
      subject varchar(8) NOT NULL,
      metric varchar(80) NOT NULL,
      code integer NOT NULL,
      subcode integer,
      message text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (page_ref, subject, metric)
    )`);

    await db.query(`CREATE TABLE screenings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      held_on date NOT NULL,
      commune_id uuid NOT NULL REFERENCES communes(id) ON DELETE RESTRICT,
      group_name varchar(200) NOT NULL,
      counts_only boolean NOT NULL DEFAULT false,
      headcount integer NOT NULL CHECK (headcount >= 0),
      items_key text NOT NULL,
      duplicate_of uuid REFERENCES screenings(id) ON DELETE SET NULL,
      recorded_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
      verified_by uuid REFERENCES users(id) ON DELETE RESTRICT,
      verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (verified_by IS NULL OR verified_by <> recorded_by)
    )`);
    await db.query(`CREATE INDEX idx_screenings_held_on ON screenings(held_on)`);
    await db.query(`CREATE INDEX idx_screenings_duplicates ON screenings(held_on, lower(group_name), items_key)`);
    await db.query(`CREATE INDEX idx_screenings_recorded_by ON screenings(recorded_by, held_on)`);
    await db.query(`CREATE TABLE screening_items (
      screening_id uuid NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE RESTRICT,
      PRIMARY KEY (screening_id, testimony_id)
    )`);
    await db.query(`CREATE INDEX idx_screening_items_testimony ON screening_items(testimony_id)`);
    // A pseudonymous key per attendee (SHA-256 made on the educator's phone): never a name.
    await db.query(`CREATE TABLE screening_attendances (
      screening_id uuid NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
      person_key char(64) NOT NULL CHECK (person_key ~ '^[0-9a-f]{64}$'),
      sex varchar(6) NOT NULL CHECK (sex IN ('female', 'male', 'other')),
      age_band varchar(6) NOT NULL,
      PRIMARY KEY (screening_id, person_key)
    )`);
    await db.query(`CREATE INDEX idx_screening_attendances_person ON screening_attendances(person_key)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE screening_attendances, screening_items, screenings, insight_refusals, insight_sync_marks, insight_latest, insight_snapshots`);
  }
}
