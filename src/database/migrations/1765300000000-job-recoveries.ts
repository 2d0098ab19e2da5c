import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobRecoveries1765300000000 implements MigrationInterface {
  name = 'JobRecoveries1765300000000';

  async up(db: QueryRunner): Promise<void> {
    // Work the reconciler recovered after the queue lost it. No foreign key to testimonies: the record
    // of a recovery outlives the item, as job_failures does.
    await db.query(`CREATE TABLE job_recoveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      action varchar(16) NOT NULL CHECK (action IN ('requeued', 'settled')),
      queue varchar(64) NOT NULL,
      job_name varchar(64) NOT NULL,
      job_id varchar(128) NOT NULL,
      testimony_id uuid,
      recovered_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX idx_job_recoveries_recovered ON job_recoveries(recovered_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE job_recoveries`);
  }
}
