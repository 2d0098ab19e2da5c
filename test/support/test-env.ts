import IORedis from 'ioredis';
import { relative } from 'node:path';

/**
 * Where the e2e suite keeps its own services: a database, a Redis db index and key prefix, and an
 * s3rver of its own, so a run never touches a developer's data. Global setup fills these in.
 */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

/** One database per test run, so two runs on one machine (or a run beside a dev server) never collide. */
export function testDatabaseName(): string {
  const name = process.env.MIGRA_TEST_DATABASE;
  if (!name) throw new Error('MIGRA_TEST_DATABASE is not set: run e2e specs through jest, whose global setup creates it');
  return name;
}

export function testDatabaseUrl(): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${testDatabaseName()}`;
  return url.toString();
}

/**
 * The run's prefix for queue keys (`migratest<pid>`); each spec's own prefix adds `-<spec>`, so teardown
 * finds them all. Another run's prefix may begin with this one followed by digits: never match a digit next.
 */
export function runQueuePrefix(): string {
  return process.env.MIGRA_TEST_QUEUE_PREFIX ?? 'migratest';
}

/**
 * Queues of the running spec file's own. Spec files run in parallel against one database: on a shared
 * prefix, one spec's worker took another's worker checks and transcoded the clips its uploads queued.
 */
export function specQueuePrefix(): string {
  const specPath = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  if (!specPath) return runQueuePrefix();
  const spec = relative(__dirname, specPath).replace(/^\.\.\//, '').replace(/\.e2e-spec\.ts$/, '').replace(/[^a-z0-9]+/gi, '-');
  return `${runQueuePrefix()}-${spec}`;
}

/** The environment every test app starts from; individual tests override single values. */
export function testEnv(): Record<string, string> {
  const s3 = process.env.MIGRA_TEST_S3_ENDPOINT;
  if (!s3) throw new Error('MIGRA_TEST_S3_ENDPOINT is not set: run e2e specs through jest, whose global setup starts s3rver');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Unset only inside global setup, before the run's database exists.
    ...(process.env.MIGRA_TEST_DATABASE ? { DATABASE_URL: testDatabaseUrl() } : {}),
    DATABASE_MIGRATE_ON_START: 'false',
    DATABASE_CONNECT_RETRIES: '0',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: specQueuePrefix(),
    JOB_BACKOFF_MS: '200',
    // Specs share one database but each has its own queues: a worker recovering "lost" work would take
    // other specs' items. The reconciler's spec turns it on with a database of its own.
    JOB_RECONCILE_INTERVAL_SECONDS: '0',
    // A scheduled insights sync would add calls to every spec's fake Page; the reach spec runs it by hand.
    INSIGHTS_SYNC_INTERVAL_MINUTES: '0',
    S3_ENDPOINT: s3,
    S3_BUCKET: 'migra-test',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    // A fixed key, so tokens a test encrypts can be read back by another process of the same run.
    PAGE_TOKEN_ENCRYPTION_KEY: 'dGVzdC1wYWdlLXRva2VuLWtleS0wMTIzNDU2Nzg5YWI=',
    WEB_DIST_DIR: 'web/dist',
  };
}

/**
 * Deletes every queue key under one prefix, and nothing else. It is how a spec makes Redis lose its data:
 * the test Redis is shared with other runs, so never FLUSHDB. SCAN, not KEYS, so a busy Redis never stalls.
 */
export function dropQueueKeys(prefix: string): Promise<void> {
  return deleteKeys(`${prefix}:*`);
}

/** This run's queue keys, its specs' own prefixes included; never another run's (see runQueuePrefix). */
export function dropRunQueueKeys(): Promise<void> {
  return deleteKeys(`${runQueuePrefix()}[^0-9]*`);
}

async function deleteKeys(match: string): Promise<void> {
  const redis = new IORedis(TEST_REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
