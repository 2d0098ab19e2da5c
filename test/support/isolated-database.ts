import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { createDataSource } from '../../src/database/data-source';
import { createMigratedDatabase, databaseUrl, dropDatabase } from './test-databases';
import { testEnv } from './test-env';

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
  const name = await createMigratedDatabase('migra_iso_', `_${randomBytes(4).toString('hex')}`);
  const url = databaseUrl(name);
  const db = createDataSource(loadConfig({ ...testEnv(), DATABASE_URL: url }));
  const drop = async (): Promise<void> => {
    if (db.isInitialized) await db.destroy();
    await dropDatabase(name);
  };
  try {
    await db.initialize();
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url, db, drop };
}
