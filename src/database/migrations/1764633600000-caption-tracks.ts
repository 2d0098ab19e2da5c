import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaptionTracks1764633600000 implements MigrationInterface {
  name = 'CaptionTracks1764633600000';

  async up(db: QueryRunner): Promise<void> {
    // One current track per testimony and language; its history lives in caption_track_versions.
    await db.query(`CREATE TABLE caption_tracks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      testimony_id uuid NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      language varchar(2) NOT NULL CHECK (language IN ('km', 'en', 'th')),
      source varchar(16) NOT NULL CHECK (source IN ('uploaded', 'machine', 'edited')),
      version integer NOT NULL CHECK (version >= 0),
      cues jsonb NOT NULL CHECK (jsonb_typeof(cues) = 'array'),
      updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_caption_tracks_testimony_language UNIQUE (testimony_id, language)
    )`);
    // Every version is kept, so any edit can be undone by restoring the one before it.
    await db.query(`CREATE TABLE caption_track_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      track_id uuid NOT NULL REFERENCES caption_tracks(id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version >= 1),
      cues jsonb NOT NULL CHECK (jsonb_typeof(cues) = 'array'),
      source varchar(16) NOT NULL CHECK (source IN ('uploaded', 'machine', 'edited')),
      changed_by uuid REFERENCES users(id) ON DELETE SET NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_caption_track_versions_track_version UNIQUE (track_id, version)
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE caption_track_versions`);
    await db.query(`DROP TABLE caption_tracks`);
  }
}
