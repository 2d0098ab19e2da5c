import { MigrationInterface, QueryRunner } from 'typeorm';

export class UploadsAndProcessing1764547200000 implements MigrationInterface {
  name = 'UploadsAndProcessing1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE testimonies
      ADD COLUMN upload_id varchar(128) UNIQUE,
      ADD COLUMN original_sha256 char(64),
      ADD COLUMN processing_generation integer NOT NULL DEFAULT 0,
      ADD COLUMN placeholder text`);
    // The same educator sending the same bytes again gets the item they already have.
    await db.query(`CREATE UNIQUE INDEX uq_testimonies_educator_original ON testimonies(educator_id, original_sha256) WHERE original_sha256 IS NOT NULL`);
    await db.query(`CREATE INDEX idx_testimonies_commune_created ON testimonies(commune_id, created_at)`);
    await db.query(`ALTER TABLE assets ADD COLUMN details jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE assets DROP COLUMN details`);
    await db.query(`DROP INDEX idx_testimonies_commune_created`);
    await db.query(`DROP INDEX uq_testimonies_educator_original`);
    await db.query(`ALTER TABLE testimonies DROP COLUMN upload_id, DROP COLUMN original_sha256, DROP COLUMN processing_generation, DROP COLUMN placeholder`);
  }
}
