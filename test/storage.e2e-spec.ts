import { DeleteBucketCommand, HeadBucketCommand, ListObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, Server } from 'node:http';
import { Readable } from 'node:stream';
import { AppConfig } from '../src/config/app-config';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { StorageService } from '../src/modules/storage/storage.service';
import { testConfig } from './support/test-app';

const MB = 1024 * 1024;

/** Pseudo-random bytes produced chunk by chunk (never one big Buffer), hashed as they are produced. */
function randomStream(totalBytes: number, options: { failAfter?: number; chunk?: number } = {}): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  const chunk = options.chunk ?? 256 * 1024;
  let sent = 0;
  const stream = new Readable({
    read() {
      if (options.failAfter !== undefined && sent >= options.failAfter) {
        this.destroy(new Error('the phone lost its connection half-way'));
        return;
      }
      if (sent >= totalBytes) {
        this.push(null);
        return;
      }
      const bytes = randomBytes(Math.min(chunk, totalBytes - sent));
      hash.update(bytes);
      sent += bytes.length;
      this.push(bytes);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function rawClient(config: AppConfig): S3Client {
  const { endpoint, region, credentials, forcePathStyle } = config.s3;
  return new S3Client({ endpoint, region, credentials, forcePathStyle });
}

/** Lists with the V1 marker (the last key seen): s3rver cannot make V2 continuation tokens on OpenSSL 3. */
async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let truncated: boolean | undefined;
  do {
    const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: keys.at(-1) }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    truncated = page.IsTruncated;
  } while (truncated);
  return keys;
}

/** RFC 6266 / RFC 5987: filename*=UTF-8''<attr-chars and %XX only>. Returns the decoded name, or null if malformed. */
function extendedFilename(disposition: string): string | null {
  const match = /(?:^|;)\s*filename\*=UTF-8''((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+.^_`|~-])+)\s*(?:;|$)/i.exec(disposition);
  return match ? decodeURIComponent(match[1]) : null;
}

/**
 * An HTTP hop in front of s3rver that passes everything through, except that a multi-object delete
 * answers as S3 does when it refuses one key (AccessDenied): the one failure s3rver cannot produce.
 */
async function refusingDeleteProxy(target: string): Promise<{ endpoint: string; refused: string[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && /[?&]delete(=|&|$)/.test(req.url ?? '')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const key = /<Key>([^<]*)<\/Key>/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
        refused.push(key);
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
            `<Error><Key>${key}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>`,
        );
      });
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('StorageService against a real S3-compatible server', () => {
  const bucket = `storage-e2e-${randomUUID().slice(0, 8)}`;
  const config = testConfig({ S3_BUCKET: bucket });
  const client = rawClient(config);
  let storage: StorageService;

  beforeAll(async () => {
    storage = new StorageService(config);
    await storage.ensureBucket();
  });

  afterAll(async () => {
    // Leave the shared s3rver as we found it: empty the bucket, then remove it.
    await storage.deletePrefix('testimonies/').catch(() => undefined);
    await storage.deletePrefix('e2e/').catch(() => undefined);
    const rest = await listKeys(client, bucket, '');
    for (const key of rest) await storage.delete(key);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    storage.onModuleDestroy();
    client.destroy();
  });

  it('creates a missing bucket, and does nothing the second time', async () => {
    const other = testConfig({ S3_BUCKET: `storage-e2e-${randomUUID().slice(0, 8)}` });
    const service = new StorageService(other);
    try {
      await expect(client.send(new HeadBucketCommand({ Bucket: other.s3.bucket }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });

      await service.ensureBucket();
      await expect(client.send(new HeadBucketCommand({ Bucket: other.s3.bucket }))).resolves.toBeDefined();
      await service.put('e2e/keep.txt', Buffer.from('still here'), { contentType: 'text/plain' });

      // Idempotent: a second start-up neither fails nor empties the bucket.
      await service.ensureBucket();
      await expect(service.head('e2e/keep.txt')).resolves.toMatchObject({ size: 10 });
      await service.ping();
    } finally {
      await service.delete('e2e/keep.txt');
      await client.send(new DeleteBucketCommand({ Bucket: other.s3.bucket }));
      service.onModuleDestroy();
    }
  });

  it('streams a 20 MB upload in and out without changing a byte', async () => {
    const key = storageKeys.asset(randomUUID(), randomUUID(), 'mp4');
    const size = 20 * MB + 12345; // not a multiple of the part size: the last part is short
    const source = randomStream(size);

    const stored = await storage.put(key, source.stream, { contentType: 'video/mp4' });
    const uploadedSha = source.sha256();

    expect(stored).toMatchObject({ key, size, contentType: 'video/mp4' });
    expect(await storage.head(key)).toMatchObject({ key, size, contentType: 'video/mp4' });

    const downloaded = await sha256Of(await storage.get(key));
    expect(downloaded.bytes).toBe(size);
    expect(downloaded.sha256).toBe(uploadedSha);
  });

  it('gives a short-lived link that a plain HTTP client downloads, with the Khmer file name intact', async () => {
    const key = storageKeys.asset(randomUUID(), randomUUID(), 'mp4');
    const body = randomBytes(4096);
    await storage.put(key, body, { contentType: 'video/mp4', contentLength: body.length });

    const before = Date.now();
    const { url, expiresAt } = await storage.presignGet(key, { downloadName: 'ទីបន្ទាល់.mp4' });
    expect(url.startsWith(config.s3.endpoint!)).toBe(true);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + config.s3.presignTtlSeconds * 1000 - 1000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + config.s3.presignTtlSeconds * 1000);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(extendedFilename(disposition)).toBe('ទីបន្ទាល់.mp4');

    // Asked again while it has most of its life left, the same link comes back (a phone's cache can reuse
    // what it downloaded); another name for the same object is another link.
    expect(await storage.presignGet(key, { downloadName: 'ទីបន្ទាល់.mp4' })).toEqual({ url, expiresAt });
    expect((await storage.presignGet(key, { downloadName: 'other.mp4' })).url).not.toBe(url);
  });

  it('encodes every character a download name may hold, so the header stays well-formed', async () => {
    const key = storageKeys.asset(randomUUID(), randomUUID(), 'jpg');
    await storage.put(key, Buffer.from('jpeg bytes'), { contentType: 'image/jpeg' });

    for (const name of ["O'Neil (2).jpg", 'សុខា ចាន់ * 1.jpg', 'a"b;c.jpg']) {
      const res = await fetch((await storage.presignGet(key, { downloadName: name })).url);
      expect(res.status).toBe(200);
      expect(extendedFilename(res.headers.get('content-disposition') ?? '')).toBe(name);
      await res.arrayBuffer();
    }
  });

  it('answers null for the head of a missing key, and deleting twice is not an error', async () => {
    const key = storageKeys.asset(randomUUID(), randomUUID(), 'mp4');
    expect(await storage.head(key)).toBeNull();

    await storage.put(key, Buffer.from('x'), { contentType: 'video/mp4' });
    expect(await storage.head(key)).toMatchObject({ size: 1 });
    await storage.delete(key);
    expect(await storage.head(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete(storageKeys.asset(randomUUID(), randomUUID(), 'mp4'))).resolves.toBeUndefined();
  });

  it('removes everything under a testimony prefix, over several list pages, and nothing beside it', async () => {
    const testimonyId = randomUUID();
    const prefix = storageKeys.testimonyPrefix(testimonyId);
    const count = 1050; // more than one ListObjectsV2 page of 1000
    const keys = Array.from({ length: count }, () => storageKeys.asset(testimonyId, randomUUID(), 'jpg'));
    // A sibling whose key starts with the same characters but is another "folder".
    const sibling = `testimonies/${testimonyId}-other/${randomUUID()}.jpg`;
    const neighbour = storageKeys.asset(randomUUID(), randomUUID(), 'jpg');

    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }))));
    }
    await storage.put(sibling, Buffer.from('sibling'), { contentType: 'image/jpeg' });
    await storage.put(neighbour, Buffer.from('neighbour'), { contentType: 'image/jpeg' });
    expect(await listKeys(client, bucket, prefix)).toHaveLength(count);

    expect(await storage.deletePrefix(prefix)).toBe(count);

    expect(await listKeys(client, bucket, prefix)).toEqual([]);
    expect(await storage.head(sibling)).toMatchObject({ size: 7 });
    expect(await storage.head(neighbour)).toMatchObject({ size: 9 });
    // Nothing left to remove the second time.
    expect(await storage.deletePrefix(prefix)).toBe(0);
  });

  it('fails, instead of reporting success, when S3 refuses to delete an object under the prefix', async () => {
    const testimonyId = randomUUID();
    const key = storageKeys.asset(testimonyId, randomUUID(), 'mp4');
    await storage.put(key, Buffer.from('a face that must not stay online'), { contentType: 'video/mp4' });

    const proxy = await refusingDeleteProxy(config.s3.endpoint!);
    const throughProxy = new StorageService(testConfig({ S3_BUCKET: bucket, S3_ENDPOINT: proxy.endpoint }));
    try {
      await expect(throughProxy.deletePrefix(storageKeys.testimonyPrefix(testimonyId))).rejects.toThrow(/AccessDenied/);
      expect(proxy.refused).toEqual([key]);
      expect(await storage.head(key)).not.toBeNull();
    } finally {
      throughProxy.onModuleDestroy();
      await proxy.close();
    }
    // Without the refusal the same call removes it.
    expect(await storage.deletePrefix(storageKeys.testimonyPrefix(testimonyId))).toBe(1);
    expect(await storage.head(key)).toBeNull();
  });

  it('refuses a prefix without a trailing slash, which could match a sibling', async () => {
    const testimonyId = randomUUID();
    const sibling = `testimonies/${testimonyId}-other/${randomUUID()}.jpg`;
    await storage.put(sibling, Buffer.from('sibling'), { contentType: 'image/jpeg' });

    await expect(storage.deletePrefix(`testimonies/${testimonyId}`)).rejects.toThrow(/ending in \//);
    expect(await storage.head(sibling)).not.toBeNull();
  });

  it.each([
    ['before the first part is complete', 3 * MB],
    ['after parts were already uploaded', 18 * MB],
  ])('rejects an upload whose source fails %s, and leaves no object behind', async (_when, failAfter) => {
    const key = storageKeys.asset(randomUUID(), randomUUID(), 'mp4');
    const { stream } = randomStream(30 * MB, { failAfter });

    await expect(storage.put(key, stream, { contentType: 'video/mp4' })).rejects.toThrow(/lost its connection/);
    expect(await storage.head(key)).toBeNull();
  });
});
