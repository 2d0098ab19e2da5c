import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { createDataSource } from '../../src/database/data-source';
import { TEST_PG_ADMIN_URL, testEnv } from './test-env';

// Not under migra_media_test_%, which global setup drops when the run that owns it has gone.
const PREFIX = 'migra_iso_';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface IsolatedDatabase {
  url: string;
  /** A direct connection for arranging data. */
  db: DataSource;
  drop(): Promise<void>;
}

/**
 * A database of its own, migrated from zero, for a test whose outcome depends on every row of a table
 * (such as "the last active admin"), which specs running in parallel on the shared database would change.
 */
export async function createIsolatedDatabase(): Promise<IsolatedDatabase> {
  const name = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    // Left behind by a test process that was killed before its afterAll.
    const stale = await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [PREFIX]);
    for (const { datname } of stale.rows as { datname: string }[]) {
      const pid = Number(datname.slice(PREFIX.length).split('_')[0]);
      if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = createDataSource(loadConfig({ ...testEnv(), DATABASE_URL: url.toString() }));
  const drop = async (): Promise<void> => {
    if (db.isInitialized) await db.destroy();
    const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url: url.toString(), db, drop };
}
