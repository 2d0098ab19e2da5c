import { rmSync } from 'node:fs';
import { dropDatabase } from './test-databases';
import { dropRunQueueKeys } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __localS3?: { close(): Promise<void> } }).__localS3?.close();
  if (process.env.MIGRA_TEST_S3_DIRECTORY) rmSync(process.env.MIGRA_TEST_S3_DIRECTORY, { recursive: true, force: true });
  if (process.env.MIGRA_TEST_QUEUE_PREFIX) await dropRunQueueKeys();

  if (process.env.MIGRA_TEST_DATABASE) await dropDatabase(process.env.MIGRA_TEST_DATABASE);
}
