import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

export interface StoredObject {
  key: string;
  size: number;
  contentType: string | undefined;
  etag: string | undefined;
}

export interface PutOptions {
  contentType: string;
  /** Known length lets small objects go up in one request instead of a multipart upload. */
  contentLength?: number;
}

/** Enough for every thumbnail of several list pages; a Map keeps insertion order, so the oldest goes first. */
const SIGNED_LINKS_KEPT = 5000;

export interface PresignOptions {
  /** Suggested download filename; sent RFC 5987-encoded so Khmer names survive. */
  downloadName?: string;
  contentType?: string;
  /**
   * For our own processes (ffmpeg in the worker seeking through a video over HTTP): signed for the
   * internal S3 endpoint, since S3_PUBLIC_ENDPOINT may be a name only browsers can reach.
   */
  internal?: boolean;
}

const PART_SIZE = 8 * 1024 * 1024;
const NOT_FOUND_NAMES = new Set(['NotFound', 'NoSuchKey', 'NoSuchBucket']);

function isNotFound(error: unknown): boolean {
  if (error instanceof NotFound || error instanceof NoSuchKey) return true;
  return error instanceof S3ServiceException && (NOT_FOUND_NAMES.has(error.name) || error.$metadata?.httpStatusCode === 404);
}

/** encodeURIComponent leaves ' ( ) * ! as they are, but RFC 5987 values may not hold ' ( ) *. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const S3_CONNECT_TIMEOUT_MS = 10_000;
const S3_IDLE_TIMEOUT_MS = 120_000;

/**
 * The one place that speaks S3. Works with AWS S3, SeaweedFS and s3rver: path-style addressing and the
 * endpoint are configuration, and nothing here relies on features only AWS has.
 */
@Injectable()
export class StorageService implements OnModuleDestroy {
  private readonly logger = new Logger(StorageService.name);
  private readonly client: S3Client;
  /** Signs links with the address browsers use, which differs from the internal one behind Docker. */
  private readonly signer: S3Client;
  private readonly bucket: string;
  /** Links signed recently, oldest first (see presignGet). */
  private readonly signed = new Map<string, { url: string; expiresAt: Date }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { endpoint, publicEndpoint, region, credentials, forcePathStyle } = config.s3;
    // Time limits, idle ones (a big object streams for as long as bytes keep coming): without them an S3
    // server that stops answering holds a job, and the lock a publish or takedown run holds, for ever.
    const requestHandler = { connectionTimeout: S3_CONNECT_TIMEOUT_MS, requestTimeout: S3_IDLE_TIMEOUT_MS };
    const base = { region, credentials, forcePathStyle, maxAttempts: 3, requestHandler };
    this.client = new S3Client({ ...base, endpoint });
    this.signer = publicEndpoint ? new S3Client({ ...base, endpoint: publicEndpoint }) : this.client;
    this.bucket = config.s3.bucket;
  }

  get bucketName(): string {
    return this.bucket;
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.logger.log(`Creating bucket ${this.bucket}`);
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  /** Answers quickly whether the bucket is reachable; used by /ready. */
  async ping(timeoutMs = 2000): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
  }

  /** Streams a body of any size to S3 without buffering it; a failed upload leaves no parts behind. */
  async put(key: string, body: Readable | Buffer, options: PutOptions): Promise<StoredObject> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType, ContentLength: options.contentLength },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    // When the source fails, that is the cause to report, not a failed abort after it (s3rver cannot abort).
    let sourceError: unknown;
    const onSourceError = (error: unknown): void => {
      sourceError ??= error;
    };
    if (body instanceof Readable) body.on('error', onSourceError);
    try {
      await upload.done();
    } catch (error) {
      // A multipart upload that failed after its last part may have left a whole object: remove it.
      await this.delete(key).catch(() => undefined);
      throw sourceError ?? error;
    } finally {
      if (body instanceof Readable) body.off('error', onSourceError);
    }
    const stored = await this.head(key);
    if (!stored) throw new Error(`Object ${key} is missing right after it was written`);
    return stored;
  }

  async get(key: string): Promise<Readable> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!(result.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
    return result.Body;
  }

  /** Bytes `start` to `end` (exclusive) of an object, streamed: how a video goes to Facebook chunk by chunk. */
  async getRange(key: string, start: number, end: number): Promise<Readable> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }));
    if (!(result.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
    return result.Body;
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const result = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: result.ContentLength ?? 0, contentType: result.ContentType, etag: result.ETag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * A short-lived GET link; media is private, so this is the only way a browser sees it. A link signed
   * earlier is handed out again while it has at least half its life left: the same URL lets the browser
   * (and a phone on a costly link) reuse what it already downloaded, and lists sign no new links.
   */
  async presignGet(key: string, options: PresignOptions = {}): Promise<{ url: string; expiresAt: Date }> {
    // Our own processes read for as long as a job runs: they always get a link with its whole life.
    if (options.internal) return this.sign(key, options);
    const cacheKey = JSON.stringify([key, options.downloadName ?? '', options.contentType ?? '']);
    const cached = this.signed.get(cacheKey);
    const halfLife = (this.config.s3.presignTtlSeconds * 1000) / 2;
    if (cached && cached.expiresAt.getTime() - Date.now() >= halfLife) return cached;
    const link = await this.sign(key, options);
    if (this.signed.size >= SIGNED_LINKS_KEPT) this.signed.delete(this.signed.keys().next().value!);
    this.signed.set(cacheKey, link);
    return link;
  }

  private async sign(key: string, options: PresignOptions): Promise<{ url: string; expiresAt: Date }> {
    const ttl = this.config.s3.presignTtlSeconds;
    const disposition = options.downloadName
      ? `inline; filename*=UTF-8''${encodeRfc5987(options.downloadName)}`
      : undefined;
    const url = await getSignedUrl(
      options.internal ? this.client : this.signer,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: disposition,
        ResponseContentType: options.contentType,
      }),
      { expiresIn: ttl },
    );
    return { url, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** Deleting what is already gone is not an error: deletes are retried by jobs. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /**
   * Removes every object under a prefix, a page of up to 1000 at a time. Returns how many were removed.
   * Each page is listed from the start again (what was deleted is gone), with the plain (V1) listing:
   * s3rver cannot make V2 continuation tokens on OpenSSL 3, and fails any listing longer than a page.
   * A key S3 refuses to delete fails the call, so a withdrawn testimony is never reported as removed
   * while media of it remains.
   */
  async deletePrefix(prefix: string): Promise<number> {
    if (!prefix.endsWith('/')) throw new Error('deletePrefix needs a prefix ending in / so it cannot match a sibling');
    let removed = 0;
    for (;;) {
      const page = await this.client.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) return removed;
      const result = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `Could not delete ${failed.length} object(s) under ${prefix}, for example ${first.Key}: ${first.Code ?? 'error'} ${first.Message ?? ''}`.trim(),
        );
      }
      removed += keys.length;
      if (!page.IsTruncated) return removed;
    }
  }

  onModuleDestroy(): void {
    this.client.destroy();
    if (this.signer !== this.client) this.signer.destroy();
  }
}
