import type * as Tus from 'tus-js-client';
import { ApiError, type ApiErrorBody } from '../api/errors';

/**
 * One resumable (tus) upload at a time, kept outside React so it keeps going
 * while the person looks at another page of the app. The upload page renders
 * its state through `useUpload()`.
 */

export const TUS_ENDPOINT = '/api/uploads/tus';

/** tus-js-client is a sixth of the app's weight: fetched when an upload is looked at or sent, not with the form. */
const loadTus = () => import('tus-js-client').catch(() => null);

/**
 * Client-side limits, checked before a single byte is sent so nobody waits
 * an hour on a weak link for a refusal. The server stays authoritative; these
 * match its defaults (UPLOAD_MAX_VIDEO_BYTES = 2 GB, UPLOAD_MAX_PHOTO_BYTES =
 * 40 MB); the API publishes no limits endpoint, so a server configured lower
 * still answers 413 right at the start, before any byte is sent.
 */
export const MAX_VIDEO_BYTES = 2 * 1024 ** 3;
export const MAX_PHOTO_BYTES = 40 * 1024 ** 2;

/** 5 MB: small enough that a dropped rural link loses little, big enough to keep request overhead low. */
const CHUNK_SIZE = 5 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];
/** After tus-js-client gives up on a network error, try again on our own this often (and on `online`). */
const RECONNECT_EVERY_MS = 20_000;

export type MediaKind = 'video' | 'photo';

export interface UploadFields {
  title: string;
  description: string;
  language: 'km' | 'en' | 'th';
  communeId: string;
}

export type UploadPhase =
  | 'idle'
  | 'starting'
  | 'uploading'
  | 'retrying'
  | 'offline'
  | 'paused'
  | 'failed'
  | 'done';

export interface UploadState {
  phase: UploadPhase;
  fileName: string;
  kind: MediaKind | null;
  title: string;
  bytesSent: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds, when known. */
  speed: number | null;
  /** Continues a partial upload saved by an earlier visit. */
  resumed: boolean;
  /** `failed`: what the server (or network) said. */
  error: unknown;
  testimonyId: string | null;
}

const IDLE: UploadState = {
  phase: 'idle',
  fileName: '',
  kind: null,
  title: '',
  bytesSent: 0,
  bytesTotal: 0,
  speed: null,
  resumed: false,
  error: null,
  testimonyId: null,
};

let state: UploadState = IDLE;
const listeners = new Set<() => void>();
let current: Tus.Upload | null = null;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let samples: Array<{ at: number; bytes: number }> = [];
let lastNotify = 0;

function set(patch: Partial<UploadState>, force = true): void {
  state = { ...state, ...patch };
  const now = Date.now();
  // Progress events come many times a second; a few renders a second are enough.
  if (!force && now - lastNotify < 200) return;
  lastNotify = now;
  listeners.forEach((l) => l());
  syncWakeLock();
}

export function subscribeUpload(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getUploadState(): UploadState {
  return state;
}

export function isActive(phase: UploadPhase): boolean {
  return phase === 'starting' || phase === 'uploading' || phase === 'retrying' || phase === 'offline';
}

// --- kind and size checks ------------------------------------------------

const VIDEO_EXT = /\.(mp4|m4v|mov|3gp|3g2|mkv|webm|avi|mpe?g|ts)$/i;
const PHOTO_EXT = /\.(jpe?g|png|heic|heif|webp|gif|avif)$/i;

export function detectKind(file: File): MediaKind | null {
  if (file.type.startsWith('video/')) return 'video';
  if (file.type.startsWith('image/')) return 'photo';
  // Some phones give no type: fall back to the name.
  if (!file.type && VIDEO_EXT.test(file.name)) return 'video';
  if (!file.type && PHOTO_EXT.test(file.name)) return 'photo';
  return null;
}

/** The limit for a kind (see MAX_VIDEO_BYTES / MAX_PHOTO_BYTES). */
export function maxBytes(kind: MediaKind): number {
  return kind === 'video' ? MAX_VIDEO_BYTES : MAX_PHOTO_BYTES;
}

// --- resuming after the page was closed -----------------------------------

export interface UnfinishedUpload {
  key: string;
  title: string;
  fileName: string;
  size: number | null;
}

/** Partial uploads tus-js-client remembered in localStorage (closed tab, sleeping phone). */
export async function findUnfinishedUploads(): Promise<UnfinishedUpload[]> {
  // tus-js-client keeps its entries under "tus::" keys; with none, the form opens without fetching it.
  if (!hasTusEntries()) return [];
  const tus = await loadTus();
  if (!tus?.canStoreURLs) return [];
  try {
    const all = await tus.defaultOptions.urlStorage.findAllUploads();
    return all
      .filter((u) => u.uploadUrl && u.uploadUrl.includes(TUS_ENDPOINT))
      .map((u) => ({ key: u.urlStorageKey, title: u.metadata.title ?? '', fileName: u.metadata.filename ?? '', size: u.size }));
  } catch {
    return [];
  }
}

function hasTusEntries(): boolean {
  try {
    return Object.keys(localStorage).some((key) => key.startsWith('tus::'));
  } catch {
    return false;
  }
}

export async function forgetUnfinished(key: string): Promise<void> {
  const tus = await loadTus();
  if (!tus) return;
  try {
    await tus.defaultOptions.urlStorage.removeUpload(key);
  } catch {
    /* ignore */
  }
}

/** The details typed last time for this very file, to fill the form again when it is resumed. */
export async function previousFieldsFor(file: File): Promise<Partial<UploadFields> | null> {
  const tus = await loadTus();
  if (!tus?.canStoreURLs) return null;
  try {
    const fp = await tus.defaultOptions.fingerprint(file, { endpoint: TUS_ENDPOINT });
    const found = await tus.defaultOptions.urlStorage.findUploadsByFingerprint(fp);
    const m = found[0]?.metadata;
    if (!m) return null;
    const language = m.language === 'km' || m.language === 'en' || m.language === 'th' ? m.language : undefined;
    return { title: m.title, description: m.description, language, communeId: m.communeId };
  } catch {
    return null;
  }
}

async function forgetFile(file: File): Promise<void> {
  const tus = await loadTus();
  if (!tus) return;
  try {
    const fp = await tus.defaultOptions.fingerprint(file, { endpoint: TUS_ENDPOINT });
    const found = await tus.defaultOptions.urlStorage.findUploadsByFingerprint(fp);
    await Promise.all(found.map((u) => tus.defaultOptions.urlStorage.removeUpload(u.urlStorageKey)));
  } catch {
    /* ignore */
  }
}

// --- errors ------------------------------------------------------------------

function statusOf(err: unknown): number {
  const res = (err as Tus.DetailedError | undefined)?.originalResponse;
  return res ? res.getStatus() : 0;
}

/** The server's JSON error body as an ApiError; a network problem stays a TypeError. */
function toError(err: unknown): unknown {
  const res = (err as Tus.DetailedError | undefined)?.originalResponse;
  if (!res || res.getStatus() === 0) return new TypeError('network');
  let body: ApiErrorBody = {};
  try {
    body = JSON.parse(res.getBody()) as ApiErrorBody;
  } catch {
    body = { message: res.getBody() || undefined };
  }
  const retryAfter = Number(res.getHeader('Retry-After'));
  return new ApiError(res.getStatus(), body, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

/** Never retry a refusal (4xx), except conflict/locked/too-many-requests, which pass. */
function retryable(status: number): boolean {
  if (status >= 400 && status < 500) return status === 409 || status === 423 || status === 429;
  return true;
}

// --- the upload ----------------------------------------------------------------

function onOnline(): void {
  if (state.phase === 'offline') restart();
}
window.addEventListener('online', onOnline);

function restart(): void {
  clearTimeout(reconnectTimer);
  if (!current) return;
  samples = [];
  set({ phase: 'uploading', speed: null });
  current.start();
}

function waitForConnection(): void {
  set({ phase: 'offline', speed: null });
  clearTimeout(reconnectTimer);
  // `online` may never fire when the link is up but useless (no signal, captive portal): poll too.
  reconnectTimer = setTimeout(() => {
    if (state.phase === 'offline' && navigator.onLine) restart();
    else if (state.phase === 'offline') waitForConnection();
  }, RECONNECT_EVERY_MS);
}

function recordProgress(sent: number, total: number): void {
  const now = Date.now();
  samples.push({ at: now, bytes: sent });
  while (samples.length > 2 && now - samples[0]!.at > 10_000) samples.shift();
  const first = samples[0]!;
  const seconds = (now - first.at) / 1000;
  const speed = seconds >= 2 && sent > first.bytes ? (sent - first.bytes) / seconds : state.speed;
  const phase = state.phase === 'paused' ? 'paused' : 'uploading';
  set({ bytesSent: sent, bytesTotal: total, speed, phase }, sent === total);
}

export async function startUpload(file: File, kind: MediaKind, fields: UploadFields): Promise<void> {
  if (isActive(state.phase) || state.phase === 'paused') return;
  clearTimeout(reconnectTimer);
  samples = [];
  set({ ...IDLE, phase: 'starting', fileName: file.name, kind, title: fields.title, bytesTotal: file.size });

  let testimonyId: string | null = null;
  const metadata: Record<string, string> = {
    filename: file.name,
    filetype: file.type || (kind === 'video' ? 'video/mp4' : 'image/jpeg'),
    title: fields.title,
    description: fields.description,
    language: fields.language,
    kind,
    consent: 'true',
  };
  if (fields.communeId) metadata.communeId = fields.communeId;

  const tus = await loadTus();
  if (state.fileName !== file.name || state.phase !== 'starting') return; // discarded while it loaded
  if (!tus) {
    set({ phase: 'failed', error: new TypeError('network') });
    return;
  }
  const upload = new tus.Upload(file, {
    endpoint: TUS_ENDPOINT,
    metadata,
    chunkSize: CHUNK_SIZE,
    retryDelays: RETRY_DELAYS,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onProgress: recordProgress,
    onShouldRetry(err) {
      const status = statusOf(err);
      if (!retryable(status)) return false;
      // Offline: stop the retry clock; the `online` event restarts it.
      if (!navigator.onLine) return false;
      set({ phase: 'retrying', speed: null });
      return true;
    },
    onAfterResponse(_req, res) {
      const id = res.getHeader('Migra-Testimony-Id');
      if (id) testimonyId = id;
    },
    onSuccess({ lastResponse }) {
      if (current !== upload) return;
      testimonyId = lastResponse.getHeader('Migra-Testimony-Id') || testimonyId;
      current = null;
      set({ phase: 'done', bytesSent: file.size, testimonyId });
    },
    onError(err) {
      if (current !== upload) return;
      const status = statusOf(err);
      if (status === 0 || status === 502 || status === 503 || status === 504) {
        // The link dropped (or the server is restarting): keep the place and wait.
        waitForConnection();
        return;
      }
      current = null;
      // A refusal (4xx): the partial upload is of no use; start fresh next time.
      // A server error keeps it, so sending again continues where it stopped.
      if (status < 500) void forgetFile(file);
      set({ phase: 'failed', error: toError(err), speed: null });
    },
  });
  current = upload;

  try {
    const previous = await upload.findPreviousUploads();
    previous.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
    if (previous[0]) {
      upload.resumeFromPreviousUpload(previous[0]);
      set({ resumed: true });
    }
  } catch {
    /* storage blocked: just start a new upload */
  }
  if (current !== upload) return; // discarded meanwhile
  if (!navigator.onLine) {
    waitForConnection();
    return;
  }
  set({ phase: 'uploading' });
  upload.start();
}

export function pauseUpload(): void {
  if (!current || !isActive(state.phase)) return;
  clearTimeout(reconnectTimer);
  void current.abort();
  set({ phase: 'paused', speed: null });
}

export function resumeUpload(): void {
  if (!current || state.phase !== 'paused') return;
  if (!navigator.onLine) {
    waitForConnection();
    return;
  }
  restart();
}

/** Stops and tells the server to drop the partial file. */
export function discardUpload(): void {
  clearTimeout(reconnectTimer);
  const upload = current;
  current = null;
  if (upload) void upload.abort(true).catch(() => undefined);
  set(IDLE);
}

/** After `done` or `failed`: back to an empty form. */
export function resetUpload(): void {
  if (isActive(state.phase) || state.phase === 'paused') return;
  current = null;
  set(IDLE);
}

// --- keep the phone awake while sending ---------------------------------------

type WakeLockSentinelLike = { release(): Promise<void>; released?: boolean };
let wakeLock: WakeLockSentinelLike | null = null;
let wakeLockPending = false;

function syncWakeLock(): void {
  const want = isActive(state.phase) && document.visibilityState === 'visible';
  const nav = navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> } };
  if (want && !wakeLock && !wakeLockPending && nav.wakeLock) {
    wakeLockPending = true;
    nav.wakeLock
      .request('screen')
      .then((lock) => {
        wakeLock = lock;
        if (!isActive(state.phase)) syncWakeLock();
      })
      .catch(() => undefined)
      .finally(() => {
        wakeLockPending = false;
      });
  } else if (!want && wakeLock) {
    const lock = wakeLock;
    wakeLock = null;
    void lock.release().catch(() => undefined);
  }
}

// The browser drops the lock when the page is hidden; take it again on return.
document.addEventListener('visibilitychange', () => {
  if (wakeLock?.released) wakeLock = null;
  syncWakeLock();
});

// Closing the tab mid-upload: ask first (the upload would resume later, but only if the file is chosen again).
window.addEventListener('beforeunload', (e) => {
  if (isActive(state.phase)) e.preventDefault();
});
