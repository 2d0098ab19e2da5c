import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListOrderIndexes1765600000000 implements MigrationInterface {
  name = 'ListOrderIndexes1765600000000';

  async up(db: QueryRunner): Promise<void> {
    // The list's two orders, tie-breaker included, so an unfiltered page is read from the index's end
    // instead of sorting every item.
    await db.query(`CREATE INDEX idx_testimonies_created_id ON testimonies(created_at, id)`);
    await db.query(`CREATE INDEX idx_testimonies_updated_id ON testimonies(updated_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX idx_testimonies_updated_id`);
    await db.query(`DROP INDEX idx_testimonies_created_id`);
  }
}
