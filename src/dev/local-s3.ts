import { mkdirSync } from 'node:fs';

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

/**
 * The single-machine S3 default (s3rver). It speaks enough S3 for our adapter, but it does not verify
 * signatures and has no ListParts: production uses SeaweedFS or AWS (see README).
 */
export async function startLocalS3(options: { port: number; host?: string; directory: string; buckets: string[] }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const server = new S3rver({
    port: options.port,
    address: options.host ?? '127.0.0.1',
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return { endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`, close: () => server.close() };
}
