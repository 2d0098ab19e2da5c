import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { Publication } from '../../src/modules/publishing/publication.entity';
import { StorageService } from '../../src/modules/storage/storage.service';
import { storageKeys } from '../../src/modules/storage/storage-keys';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { Testimony } from '../../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { waitFor } from './faults';
import { as, consentBody } from './review-helpers';
import { createIsolatedDatabase, IsolatedDatabase } from './isolated-database';
import { createTestTestimony, startTestApp, startTestWorker, TestApp, TestUser } from './test-app';

export interface ReachRig {
  iso: IsolatedDatabase;
  db: DataSource;
  api: TestApp;
  worker: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * An API and a worker on a database of their own: reach reads the one connected Page and every row of
 * its tables, which specs running in parallel on the shared database would change (and they connect
 * Pages of their own).
 */
export async function startReachRig(env: Record<string, string>): Promise<ReachRig> {
  const iso = await createIsolatedDatabase();
  const api = await startTestApp({ env: { ...env, DATABASE_URL: iso.url } });
  const worker = await startTestWorker({ ...env, DATABASE_URL: iso.url });
  return {
    iso,
    db: iso.db,
    api,
    worker,
    close: async () => {
      await worker.close();
      await api.close();
      await iso.drop();
    },
  };
}

/** An item of the educator's, approved by the editor and published at once on the connected Page. */
export async function publishedPhoto(
  { api, db }: Pick<ReachRig, 'api' | 'db'>,
  educator: TestUser & { token: string },
  editor: { token: string },
  overrides: { language?: 'km' | 'en' | 'th' } = {},
): Promise<{ item: Testimony; publication: Publication }> {
  const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview, kind: MediaKind.Photo, ...overrides, db });
  await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody());
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2060a0' } }).jpeg().toBuffer();
  const id = randomUUID();
  const storageKey = storageKeys.asset(item.id, id, 'jpg');
  await api.app.get(StorageService).put(storageKey, bytes, { contentType: 'image/jpeg' });
  await db.getRepository(Asset).save({ id, testimonyId: item.id, role: AssetRole.Publish, variant: 'jpeg', storageKey, mimeType: 'image/jpeg', byteSize: bytes.length });
  const approved = await as(api, editor.token).post(`/testimonies/${item.id}/approve`);
  if (approved.status !== 201) throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  const scheduled = await as(api, editor.token).post('/publications', { testimonyId: item.id, publishNow: true, messageKm: `ការពិតពីផ្ទះ ${item.title}` });
  if (scheduled.status !== 201) throw new Error(`publish failed: ${scheduled.status} ${JSON.stringify(scheduled.body)}`);
  const publication = await waitFor(`publication of ${item.title}`, async () => {
    const p = await db.getRepository(Publication).findOneByOrFail({ id: scheduled.body.id });
    return p.state === 'published' ? p : null;
  }, 20_000);
  return { item, publication };
}
