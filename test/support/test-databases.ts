import { Client } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { createDataSource } from '../../src/database/data-source';
import { TEST_PG_ADMIN_URL, testEnv } from './test-env';

/**
 * Test databases are named `<prefix><pid>...` after the process that owns them, so one left behind by
 * a run that was killed before its teardown can be recognised and dropped by the next run.
 */
function ownerIsGone(name: string, prefix: string): boolean {
  const pid = Number(/^\d+/.exec(name.slice(prefix.length))?.[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function asAdmin<T>(run: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates `<prefix><pid><suffix>` and migrates it from zero, after dropping orphans of the same prefix. */
export async function createMigratedDatabase(prefix: string, suffix = ''): Promise<string> {
  const name = `${prefix}${process.pid}${suffix}`;
  await asAdmin(async (admin) => {
    const existing = await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
    for (const { datname } of existing.rows as { datname: string }[]) {
      if (ownerIsGone(datname, prefix)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const db = createDataSource(loadConfig({ ...testEnv(), DATABASE_URL: databaseUrl(name) }));
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dropDatabase(name).catch(() => undefined);
    throw error;
  } finally {
    if (db.isInitialized) await db.destroy();
  }
  return name;
}

export function dropDatabase(name: string): Promise<void> {
  return asAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
