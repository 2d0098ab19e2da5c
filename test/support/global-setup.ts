import { Client } from 'pg';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { createDataSource } from '../../src/database/data-source';
import { startLocalS3 } from '../../src/dev/local-s3';
import { TEST_PG_ADMIN_URL, testEnv } from './test-env';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A fresh database migrated from zero (so the migrations themselves are tested) and an s3rver of our own. */
export default async function globalSetup(): Promise<void> {
  // The SDK's notice about Node 22 is for operators (the Dockerfile runs a newer Node), not test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const database = `migra_media_test_${process.pid}`;
  process.env.MIGRA_TEST_DATABASE = database;
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  // Databases left by runs that were killed before their teardown.
  const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'migra_media_test_%'`);
  for (const { datname } of stale.rows as { datname: string }[]) {
    const pid = Number(datname.slice('migra_media_test_'.length));
    if (!isProcessAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();

  const s3Directory = mkdtempSync(join(tmpdir(), 'migra-s3-'));
  const s3 = await startLocalS3({ port: 0, directory: s3Directory, buckets: [] });
  process.env.MIGRA_TEST_S3_DIRECTORY = s3Directory;
  process.env.MIGRA_TEST_S3_ENDPOINT = s3.endpoint;
  process.env.MIGRA_TEST_QUEUE_PREFIX = `migratest${process.pid}`;
  (globalThis as { __localS3?: typeof s3 }).__localS3 = s3;

  const db = createDataSource(loadConfig(testEnv()));
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await db.destroy();
}
