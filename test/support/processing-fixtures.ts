/**
 * What the processing specs share: real clips and photos made with ffmpeg at test time, an item put in
 * place the way the upload hand-over leaves it (status `processing`, original in S3, job queued), and
 * readers for S3 and ffprobe.
 */
import { ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobsOptions } from 'bullmq';
import { AppConfig } from '../../src/config/app-config';
import { processTestimonyJobId } from '../../src/modules/processing/process-testimony.job';
import { JobName } from '../../src/modules/queues/job-catalog';
import { JobQueue, TypedJob } from '../../src/modules/queues/job-queue.service';
import { storageKeys } from '../../src/modules/storage/storage-keys';
import { StorageService } from '../../src/modules/storage/storage.service';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { Testimony } from '../../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { createTestTestimony, TestApp, testDb, TestUser } from './test-app';

const execFileAsync = promisify(execFile);

/**
 * A phone-like clip with a GPS location tag, which must never reach a rendition. As it is, the Page can
 * take it remuxed; with `pixelFormat: 'yuv444p'` it must be transcoded.
 */
export function makeClip(dir: string, options: { seconds?: number; size?: string; pixelFormat?: string } = {}): string {
  const pixelFormat = options.pixelFormat ?? 'yuv420p';
  const path = join(dir, `clip-${options.size ?? '640x360'}-${options.seconds ?? 2}-${pixelFormat}.mp4`);
  execFileSync('ffmpeg', [
    '-v', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '640x360'}:rate=25`,
    '-f', 'lavfi', '-i', 'sine',
    '-t', String(options.seconds ?? 2),
    '-c:v', 'libx264', '-pix_fmt', pixelFormat, '-c:a', 'aac',
    '-metadata', 'location=+11.5564+104.9282/',
    path,
  ]);
  return path;
}

/**
 * ffmpeg as usual, except in a publish-rendition job's folder: there a run waits while `held` is on (the
 * moment between a transcoded video reaching review and its publish rendition existing, made to last),
 * and fails while `failing` is on.
 */
export function publishGateFfmpeg(dir: string): { path: string; held(on: boolean): void; failing(on: boolean): void } {
  const path = join(dir, 'publish-gate-ffmpeg');
  const [hold, fail] = [join(dir, 'publish-hold'), join(dir, 'publish-fail')];
  writeFileSync(
    path,
    `#!/bin/sh\ncase "$*" in *"/migra-publish-"*)\n  while [ -e '${hold}' ]; do sleep 0.1; done\n  if [ -e '${fail}' ]; then echo 'publish encode failed (test)' >&2; exit 1; fi ;;\nesac\nexec ffmpeg "$@"\n`,
  );
  chmodSync(path, 0o755);
  const flag = (file: string) => (on: boolean) => (on ? writeFileSync(file, '') : rmSync(file, { force: true }));
  return { path, held: flag(hold), failing: flag(fail) };
}

export function makePhoto(dir: string): string {
  const path = join(dir, 'photo.jpg');
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1200x800', '-frames:v', '1', path]);
  return path;
}

export interface PlacedItem {
  testimony: Testimony;
  job: TypedJob<JobName.ProcessTestimony>;
}

type OriginalFile = { path: string; kind: MediaKind; mimeType: string; extension: string };

/** Puts an item where the upload hand-over leaves it, and queues generation 1 of its processing. */
export async function placeOriginal(api: TestApp, educator: TestUser, file: OriginalFile, jobOptions: JobsOptions = {}): Promise<PlacedItem> {
  const testimony = await handedOver(api, educator, file);
  const job = await api.app
    .get(JobQueue)
    .enqueue(JobName.ProcessTestimony, { testimonyId: testimony.id, generation: 1 }, { jobId: processTestimonyJobId(testimony.id, 1), ...jobOptions });
  return { testimony, job };
}

/** An item the hand-over marked `processing` (generation 1, original in S3) before its job was queued. */
export async function handedOver(api: TestApp, educator: TestUser, file: OriginalFile): Promise<Testimony> {
  const db = await testDb();
  const created = await createTestTestimony(educator, { kind: file.kind, status: TestimonyStatus.Processing });
  await db.getRepository(Testimony).update(created.id, { processingGeneration: 1 });
  const asset = db.getRepository(Asset).create({ testimonyId: created.id, role: AssetRole.Original, variant: '', mimeType: file.mimeType, byteSize: 0 });
  asset.id = randomUUID();
  asset.storageKey = storageKeys.asset(created.id, asset.id, file.extension);
  const stored = await api.app.get(StorageService).put(asset.storageKey, readFileSync(file.path), { contentType: file.mimeType });
  asset.byteSize = stored.size;
  await db.getRepository(Asset).save(asset);
  return db.getRepository(Testimony).findOneByOrFail({ id: created.id });
}

export async function testimonyRow(id: string): Promise<Testimony | null> {
  return (await testDb()).getRepository(Testimony).findOneBy({ id });
}

export async function assetRows(testimonyId: string): Promise<Asset[]> {
  return (await testDb()).getRepository(Asset).find({ where: { testimonyId }, order: { role: 'ASC', variant: 'ASC' } });
}

/** Every key under a prefix, read straight from S3 (not through the code under test). */
export async function listKeys(config: AppConfig, prefix: string): Promise<string[]> {
  const client = new S3Client({ endpoint: config.s3.endpoint, region: config.s3.region, credentials: config.s3.credentials, forcePathStyle: true });
  try {
    const page = await client.send(new ListObjectsCommand({ Bucket: config.s3.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((o) => o.Key!).sort();
  } finally {
    client.destroy();
  }
}

export interface Probed {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  format: { format_name: string; duration?: string; tags?: Record<string, string> };
}

/**
 * ffprobe of a file or a URL (a presigned link: this also proves the link works). Asynchronous on
 * purpose: s3rver runs in Jest's own process, and a synchronous child would block it from answering.
 */
export async function ffprobe(input: string): Promise<Probed> {
  const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input], { timeout: 20_000 });
  return JSON.parse(stdout) as Probed;
}
