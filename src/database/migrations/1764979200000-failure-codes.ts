import { MigrationInterface, QueryRunner } from 'typeorm';

/** Job failures keep their code and figures beside the English sentence, so screens can word them in Khmer. */
export class FailureCodes1764979200000 implements MigrationInterface {
  name = 'FailureCodes1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE testimonies ADD COLUMN failure_code varchar(40), ADD COLUMN failure_figures jsonb`);
    await db.query(`ALTER TABLE caption_tasks ADD COLUMN error_code varchar(40), ADD COLUMN error_figures jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE caption_tasks DROP COLUMN error_figures, DROP COLUMN error_code`);
    await db.query(`ALTER TABLE testimonies DROP COLUMN failure_figures, DROP COLUMN failure_code`);
  }
}
