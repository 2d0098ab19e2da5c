import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type * as Tus from 'tus-js-client';
import { api, type ConsentInput } from '../api/client';
import { unwrap } from '../api/errors';
import { TUS_ENDPOINT, type MediaKind, type UploadFields } from './uploadStore';

/**
 * Testimonies recorded out of signal. The file and its details (and a consent record, when one was
 * taken) are kept on the phone in IndexedDB and sent with tus when the connection returns, one at a
 * time, resuming where a transfer stopped, also after the browser or the phone was closed: the tus
 * upload URL is saved with the item as soon as the server gives it.
 */

export type OutboxState = 'waiting' | 'sending' | 'failed';

export interface OutboxItem {
  id: string;
  /** Only the educator who recorded an item sends it: phones are shared. */
  userId: string;
  file: Blob;
  fileName: string;
  kind: MediaKind;
  fields: UploadFields;
  consent: ConsentInput | null;
  createdAt: number;
  state: OutboxState;
  /** Where the server keeps the partial file; resuming asks it how much it already has. */
  uploadUrl: string | null;
  /** Known once the file has arrived; the consent record is posted to it. */
  testimonyId: string | null;
  error: string | null;
}

interface OutboxDb extends DBSchema {
  items: { key: string; value: OutboxItem };
}

const CHUNK_SIZE = 1024 * 1024;
const RETRY_DELAYS = [0, 3000, 10000, 30000];
const WIFI_ONLY_KEY = 'migra.outbox.wifiOnly';

/** The phone's storage is full: nothing new was kept, and nothing kept before was touched. */
export class OutboxFullError extends Error {
  constructor(readonly freeBytes: number | null) {
    super('outbox full');
  }
}

let dbPromise: Promise<IDBPDatabase<OutboxDb>> | null = null;
function db(): Promise<IDBPDatabase<OutboxDb>> {
  dbPromise ??= openDB<OutboxDb>('migra-outbox', 1, {
    upgrade(database) {
      database.createObjectStore('items', { keyPath: 'id' });
    },
  });
  return dbPromise;
}

// --- what the page shows ------------------------------------------------------

let items: OutboxItem[] = [];
const progress = new Map<string, number>();
let userId: string | null = null;
const listeners = new Set<() => void>();
let version = 0;

function notify(): void {
  version++;
  listeners.forEach((listener) => listener());
}

export function subscribeOutbox(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function outboxVersion(): number {
  return version;
}

/** The signed-in educator's items, oldest first. */
export function outboxItems(): OutboxItem[] {
  return items.filter((item) => item.userId === userId);
}

export function bytesSent(id: string): number {
  return progress.get(id) ?? 0;
}

async function reload(): Promise<void> {
  items = (await (await db()).getAll('items')).sort((a, b) => a.createdAt - b.createdAt);
  notify();
}

async function save(item: OutboxItem): Promise<void> {
  await (await db()).put('items', item);
  await reload();
}

// --- keeping ---------------------------------------------------------------------

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}

export async function freeBytes(): Promise<number | null> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  return estimate?.quota !== undefined && estimate.usage !== undefined ? estimate.quota - estimate.usage : null;
}

/** Keeps a file and its details on the phone; throws OutboxFullError when the phone has no room. */
export async function keepInOutbox(file: File, kind: MediaKind, fields: UploadFields): Promise<string> {
  if (!userId) throw new Error('not signed in');
  const free = await freeBytes();
  if (free !== null && free < file.size) throw new OutboxFullError(free);
  // Asked once: without it the browser may clear the outbox when the phone runs short of space.
  void navigator.storage?.persist?.().catch(() => false);
  const item: OutboxItem = {
    id: crypto.randomUUID(),
    userId,
    // IndexedDB copies the bytes into its own store as it saves (never all in memory): the picked
    // file may be unreadable once the page is closed, the kept copy is not.
    file,
    fileName: file.name,
    kind,
    fields,
    consent: null,
    createdAt: Date.now(),
    state: 'waiting',
    uploadUrl: null,
    testimonyId: null,
    error: null,
  };
  try {
    await save(item);
  } catch (error) {
    if (isQuotaError(error)) throw new OutboxFullError(await freeBytes());
    throw error;
  }
  void sendWaiting();
  return item.id;
}

/** A consent record taken with no signal goes up with its item, once the item has arrived. */
export async function attachConsent(id: string, consent: ConsentInput): Promise<void> {
  const item = items.find((x) => x.id === id);
  if (item) await save({ ...item, consent });
}

/** Removes an item that has not been sent, and the partial file the server may hold. */
export async function removeFromOutbox(id: string): Promise<void> {
  const item = items.find((x) => x.id === id);
  if (!item || item.testimonyId) return;
  if (current?.id === id) {
    const upload = current.upload;
    current = null;
    await upload.abort(true).catch(() => undefined);
  } else if (item.uploadUrl) {
    await fetch(item.uploadUrl, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } }).catch(() => undefined);
  }
  await (await db()).delete('items', id);
  progress.delete(id);
  await reload();
}

// --- sending ---------------------------------------------------------------------

export function wifiOnly(): boolean {
  return localStorage.getItem(WIFI_ONLY_KEY) === 'true';
}

/** The connection type, where the browser tells it (Chrome on Android does; others do not). */
export function connectionType(): string | null {
  return (navigator as Navigator & { connection?: { type?: string } }).connection?.type ?? null;
}

export function setWifiOnly(on: boolean): void {
  localStorage.setItem(WIFI_ONLY_KEY, String(on));
  notify();
  void sendWaiting();
}

function mayUseThisConnection(): boolean {
  if (!navigator.onLine) return false;
  const type = connectionType();
  return !wifiOnly() || type === null || type === 'wifi' || type === 'ethernet';
}

let current: { id: string; upload: Tus.Upload } | null = null;
let pumping = false;

/** Sends the signed-in educator's waiting items one by one while the connection allows it. */
export async function sendWaiting(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    while (userId && mayUseThisConnection()) {
      const next = outboxItems().find((item) => item.state !== 'failed');
      if (!next || !(await send(next))) break;
    }
  } finally {
    pumping = false;
  }
}

/** true: the item arrived (and left the outbox); false: stopped, to try again when the link returns. */
async function send(item: OutboxItem): Promise<boolean> {
  if (!item.testimonyId) {
    // When the phone closed on the last chunk, the resumed upload asks for the offset again and the
    // server answers with the whole length and the item's id, so the consent record still follows.
    const outcome = await transfer(item);
    if (outcome === 'stopped') return false;
    if (outcome === 'refused') return true;
  }
  const arrived = items.find((x) => x.id === item.id);
  if (!arrived) return true; // removed meanwhile
  if (arrived.consent && arrived.testimonyId) {
    try {
      unwrap(await api.POST('/api/testimonies/{id}/consents', { params: { path: { id: arrived.testimonyId } }, body: arrived.consent }));
    } catch {
      return false; // the file is in; the consent record goes on the next try
    }
  }
  await (await db()).delete('items', item.id);
  progress.delete(item.id);
  await reload();
  return true;
}

function transfer(item: OutboxItem): Promise<'arrived' | 'stopped' | 'refused'> {
  return import('tus-js-client').then(
    (tus) =>
      new Promise((resolve) => {
        let testimonyId: string | null = null;
        const metadata: Record<string, string> = {
          filename: item.fileName,
          filetype: item.file.type || (item.kind === 'video' ? 'video/mp4' : 'image/jpeg'),
          title: item.fields.title,
          description: item.fields.description,
          language: item.fields.language,
          kind: item.kind,
          consent: 'true',
        };
        if (item.fields.communeId) metadata.communeId = item.fields.communeId;
        const finish = async (outcome: 'arrived' | 'stopped' | 'refused', patch: Partial<OutboxItem>) => {
          if (current?.upload === upload) current = null;
          const latest = items.find((x) => x.id === item.id);
          if (latest) await save({ ...latest, ...patch });
          resolve(outcome);
        };
        const upload: Tus.Upload = new tus.Upload(item.file, {
          endpoint: TUS_ENDPOINT,
          // Resuming goes by the saved URL, not by tus-js-client's fingerprint (a Blob has no name to take one from).
          uploadUrl: item.uploadUrl,
          metadata,
          chunkSize: CHUNK_SIZE,
          retryDelays: RETRY_DELAYS,
          storeFingerprintForResuming: false,
          onUploadUrlAvailable() {
            const latest = items.find((x) => x.id === item.id);
            if (latest && upload.url) void save({ ...latest, uploadUrl: upload.url });
          },
          onProgress(sent) {
            progress.set(item.id, sent);
            notify();
          },
          onAfterResponse(_req, res) {
            testimonyId = res.getHeader('Migra-Testimony-Id') || testimonyId;
          },
          onSuccess() {
            progress.set(item.id, item.file.size);
            void finish('arrived', { testimonyId, state: 'sending', error: null });
          },
          onError(error) {
            const status = (error as Tus.DetailedError).originalResponse?.getStatus() ?? 0;
            // Signed out (401) waits for the next sign-in, like a dropped link waits for signal.
            if (status === 0 || status === 401 || status >= 500 || status === 409 || status === 423 || status === 429) {
              void finish('stopped', { state: 'waiting' });
            } else if (status === 404 || status === 410) {
              // The server no longer has the partial file: start again from the first byte.
              progress.delete(item.id);
              void finish('stopped', { uploadUrl: null, state: 'waiting' }).then(() => void sendWaiting());
            } else {
              void finish('refused', { state: 'failed', error: (error as Tus.DetailedError).originalResponse?.getBody() || String(status) });
            }
          },
        });
        current = { id: item.id, upload };
        void save({ ...item, state: 'sending' }).then(() => upload.start());
      }),
    () => 'stopped' as const,
  );
}

/** Called by the session: the outbox shows and sends only the signed-in educator's items. */
export function showOutboxOf(id: string | null): void {
  if (userId === id) return;
  userId = id;
  void reload().then(() => sendWaiting());
}

window.addEventListener('online', () => void sendWaiting());
(navigator as Navigator & { connection?: EventTarget }).connection?.addEventListener?.('change', () => void sendWaiting());
