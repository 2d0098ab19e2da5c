import { rmSync } from 'node:fs';
import IORedis from 'ioredis';
import { dropDatabase } from './test-databases';
import { TEST_REDIS_URL } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __localS3?: { close(): Promise<void> } }).__localS3?.close();
  if (process.env.MIGRA_TEST_S3_DIRECTORY) rmSync(process.env.MIGRA_TEST_S3_DIRECTORY, { recursive: true, force: true });
  // Remove this run's queue keys; other runs and other prefixes are left alone.
  const redis = new IORedis(TEST_REDIS_URL);
  const prefix = process.env.MIGRA_TEST_QUEUE_PREFIX;
  if (prefix) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();

  if (process.env.MIGRA_TEST_DATABASE) await dropDatabase(process.env.MIGRA_TEST_DATABASE);
}
