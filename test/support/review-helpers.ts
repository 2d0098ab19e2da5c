import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { StorageService } from '../../src/modules/storage/storage.service';
import { storageKeys } from '../../src/modules/storage/storage-keys';
import { Asset, AssetRole } from '../../src/modules/testimonies/asset.entity';
import { TestApp, testDb } from './test-app';

/** A consent that lets the Page show the person fully; tests override single terms. */
export function consentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    personLabel: 'S.P.',
    isMinor: false,
    method: 'written_form',
    explainedBy: 'Sokha (peer educator)',
    explanationLanguage: 'Khmer',
    channels: ['facebook_page', 'community_screenings'],
    identifiability: 'fully',
    givenOn: new Date(Date.now() - 86400_000).toISOString().slice(0, 10),
    referralGiven: true,
    ...overrides,
  };
}

export function as(api: TestApp, token: string) {
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string) => auth(request(api.url).get(`/api${path}`)),
    post: (path: string, body: object = {}) => auth(request(api.url).post(`/api${path}`)).send(body),
    put: (path: string, body: object = {}) => auth(request(api.url).put(`/api${path}`)).send(body),
    delete: (path: string) => auth(request(api.url).delete(`/api${path}`)),
    upload: (path: string, file: Buffer, name: string) => auth(request(api.url).post(`/api${path}`)).attach('file', file, name),
  };
}

/** Gives an item a stored publish rendition, as processing would, so links and pins have something to show. */
export async function addRendition(api: TestApp, testimonyId: string): Promise<Asset> {
  const db = await testDb();
  const id = randomUUID();
  const storageKey = storageKeys.asset(testimonyId, id, 'jpg');
  await api.app.get(StorageService).put(storageKey, Buffer.from('not really a jpeg, only bytes to link to'), { contentType: 'image/jpeg' });
  return db.getRepository(Asset).save({ id, testimonyId, role: AssetRole.Publish, variant: 'jpeg', storageKey, mimeType: 'image/jpeg', byteSize: 40 });
}
