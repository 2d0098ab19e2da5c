import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { rmSync } from 'node:fs';
import { closeTestDb, signedIn, startTestApp, TestApp } from './test-app';

export const TUS = '/api/uploads/tus';

/** Real media made at test time: a short MP4 from ffmpeg's test pattern and a JPEG from sharp. */
export async function makeMedia(): Promise<{ dir: string; mp4: Buffer; jpeg: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'migra-media-'));
  const mp4Path = join(dir, 'clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2', '-pix_fmt', 'yuv420p', '-y', mp4Path]);
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
  writeFileSync(join(dir, 'photo.jpg'), jpeg);
  return { dir, mp4: readFileSync(mp4Path), jpeg };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** tus Upload-Metadata: comma-separated `key base64(value)` pairs, UTF-8 inside. */
export function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata).map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`).join(',');
}

export function videoMetadata(overrides: Record<string, string> = {}): Record<string, string> {
  return { filename: 'clip.mp4', filetype: 'video/mp4', title: 'My journey', language: 'km', kind: 'video', consent: 'true', ...overrides };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP request, so tests control every header and byte of the tus protocol. */
export function tusRequest(url: string, method: string, headers: Record<string, string | number>, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { 'Tus-Resumable': '1.0.0', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts a PATCH that announces all of `data` but sends only `cut` bytes, then drops the connection. */
export function patchAndDrop(url: string, token: string, offset: number, data: Buffer, cut: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}`, 'Upload-Offset': offset, 'Content-Type': 'application/offset+octet-stream', 'Content-Length': data.length },
    });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.write(data.subarray(0, cut), () => setTimeout(() => {
      req.destroy();
      resolve();
    }, 150));
  });
}

/** An upload through tus-js-client, as the web app does it; resolves with the final response's headers. */
export function tusClientUpload(baseUrl: string, token: string, data: Buffer, metadata: Record<string, string>, chunkSize = 64 * 1024): Promise<{ testimonyId: string | null; duplicate: string | null }> {
  return new Promise((resolve, reject) => {
    let last: { testimonyId: string | null; duplicate: string | null } = { testimonyId: null, duplicate: null };
    const upload = new tus.Upload(data, {
      endpoint: `${baseUrl}${TUS}`,
      headers: { Authorization: `Bearer ${token}` },
      metadata,
      chunkSize,
      retryDelays: [],
      onAfterResponse: (_req, res) => {
        const id = res.getHeader('Migra-Testimony-Id');
        if (id) last = { testimonyId: id, duplicate: res.getHeader('Migra-Duplicate') ?? null };
      },
      onSuccess: () => resolve(last),
      onError: reject,
    });
    upload.start();
  });
}


export interface UploadTestbed {
  api: TestApp;
  /** This spec's own staging folder, so specs never see each other's uploads. */
  staging: string;
  media: Awaited<ReturnType<typeof makeMedia>>;
  educator: Awaited<ReturnType<typeof signedIn>>;
}

/** A real API with a fresh staging folder, real media to send, and a signed-in educator. */
export async function startUploadTestbed(env: Record<string, string> = {}): Promise<UploadTestbed> {
  const staging = mkdtempSync(join(tmpdir(), 'migra-staging-'));
  const api = await startTestApp({ env: { UPLOAD_STAGING_DIR: staging, ...env } });
  return { api, staging, media: await makeMedia(), educator: await signedIn(api.url, 'educator') };
}

export async function closeUploadTestbed(bed: UploadTestbed | undefined): Promise<void> {
  await bed?.api.close();
  await closeTestDb();
  if (bed) for (const dir of [bed.staging, bed.media.dir]) rmSync(dir, { recursive: true, force: true });
}
