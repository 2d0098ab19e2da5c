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
    QUEUE_PREFIX: process.env.MIGRA_TEST_QUEUE_PREFIX ?? 'migratest',
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
