import { DataSource } from 'typeorm';

export type Locked<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `work` while holding a PostgreSQL session advisory lock on `key`, or answers `{ ran: false }` at
 * once when another process holds it. The lock is held on a connection of its own for the whole run, so
 * a process that dies lets go of it with its connection. Advisory locks belong to the whole server: the
 * key names the database, so deployments (and test runs) with databases of their own never meet.
 */
export async function whileLocked<T>(db: DataSource, key: string, work: () => Promise<T>): Promise<Locked<T>> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1 || current_database(), 0)) AS locked`, [key])) as { locked: boolean }[];
    if (!locked) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1 || current_database(), 0))`, [key]);
    }
  } finally {
    await runner.release();
  }
}
