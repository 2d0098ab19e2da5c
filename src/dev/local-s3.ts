import { mkdirSync } from 'node:fs';
import type { Environment } from '../config/app-config';

// s3rver ships no types; this is the part of its API we use.
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

/** The one address it listens on: no other machine, container or network neighbour can reach it. */
const LOOPBACK = '127.0.0.1';

/**
 * The single-machine S3 default (s3rver), for development, the tests and the bench. It answers
 * anyone who can reach it (no signatures, no access control), its dependencies carry unfixed
 * advisories, and it has no ListParts: so it listens on loopback only, is a dev dependency (absent
 * from the production image), and refuses NODE_ENV=production. Production uses SeaweedFS or AWS (README).
 */
export async function startLocalS3(options: { port: number; directory: string; buckets: string[]; env: Environment }): Promise<LocalS3> {
  if (options.env === 'production') {
    throw new Error('The local S3 server (s3rver) checks no signatures and is for development and tests only; it does not run when NODE_ENV=production. Use SeaweedFS (docker-compose.yml) or AWS S3 (see README).');
  }
  mkdirSync(options.directory, { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const server = new S3rver({
    port: options.port,
    address: LOOPBACK,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return { endpoint: `http://${LOOPBACK}:${port}`, close: () => server.close() };
}
