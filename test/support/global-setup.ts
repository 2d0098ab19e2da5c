import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalS3 } from '../../src/dev/local-s3';
import { createMigratedDatabase } from './test-databases';

/** A fresh database migrated from zero (so the migrations themselves are tested) and an s3rver of our own. */
export default async function globalSetup(): Promise<void> {
  // The SDK's notice about Node 22 is for operators (the Dockerfile runs a newer Node), not test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const s3Directory = mkdtempSync(join(tmpdir(), 'migra-s3-'));
  const s3 = await startLocalS3({ port: 0, directory: s3Directory, buckets: [], env: 'test' });
  process.env.MIGRA_TEST_S3_DIRECTORY = s3Directory;
  process.env.MIGRA_TEST_S3_ENDPOINT = s3.endpoint;
  process.env.MIGRA_TEST_QUEUE_PREFIX = `migratest${process.pid}`;
  (globalThis as { __localS3?: typeof s3 }).__localS3 = s3;

  process.env.MIGRA_TEST_DATABASE = await createMigratedDatabase('migra_media_test_');
}
