import request from 'supertest';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { StorageService } from '../src/modules/storage/storage.service';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { ContentLanguage, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { closedPort } from './support/faults';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, startTestApp, TestApp, testDb, TestUser } from './support/test-app';

describe('Testimonies: who sees which', () => {
  let api: TestApp;
  let sokha: Awaited<ReturnType<typeof signedIn>>;
  let dara: Awaited<ReturnType<typeof signedIn>>;
  let sokhaItems: string[];
  let daraItem: string;

  beforeAll(async () => {
    api = await startTestApp();
    const other = await anyCommune('220101');
    sokha = await signedIn(api.url, 'educator');
    dara = await signedIn(api.url, 'educator', { communeId: other.id });
    sokhaItems = [
      (await createTestTestimony(sokha, { title: 'ការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព' })).id,
      (await createTestTestimony(sokha, { status: TestimonyStatus.ProcessingFailed, kind: 'photo' as never })).id,
    ];
    daraItem = (await createTestTestimony(dara)).id;
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  const list = (token: string, query = '') => request(api.url).get(`/api/testimonies${query}`).set('Authorization', `Bearer ${token}`);

  it('shows an educator only their own items, with Khmer titles intact', async () => {
    const res = await list(sokha.token);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id).sort()).toEqual([...sokhaItems].sort());
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((i: { title: string }) => i.title)).toContain('ការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព');
  });

  it("answers 'not found' when an educator asks for someone else's item, so ids cannot be probed", async () => {
    const res = await request(api.url).get(`/api/testimonies/${daraItem}`).set('Authorization', `Bearer ${sokha.token}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    const own = await request(api.url).get(`/api/testimonies/${sokhaItems[0]}`).set('Authorization', `Bearer ${sokha.token}`);
    expect(own.status).toBe(200);
    expect(own.body.educator.id).toBe(sokha.id);
  });

  it.each(['editor', 'lead', 'admin'] as const)('%s sees every educator’s items', async (role) => {
    const viewer = await signedIn(api.url, role);
    const res = await list(viewer.token, '?pageSize=100');
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([...sokhaItems, daraItem]));
    const item = await request(api.url).get(`/api/testimonies/${daraItem}`).set('Authorization', `Bearer ${viewer.token}`);
    expect(item.status).toBe(200);
    expect(item.body.commune.code).toBe('220101');
  });

  it('filters by status and kind, pages, and refuses filters it does not know', async () => {
    const failed = await list(sokha.token, '?status=processing_failed');
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]).toMatchObject({ id: sokhaItems[1], kind: 'photo', status: 'processing_failed' });

    const paged = await list(sokha.token, '?pageSize=1&page=2');
    expect(paged.body).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(paged.body.items).toHaveLength(1);
    // Past the last page no row carries the total, yet the total is still told.
    const beyond = await list(sokha.token, '?pageSize=1&page=5');
    expect(beyond.body).toMatchObject({ page: 5, pageSize: 1, total: 2, items: [] });

    const bad = await list(sokha.token, '?status=deleted&pageSize=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toHaveLength(2);
  });

  it('refuses an id that is not a UUID with a plain 400', async () => {
    const res = await request(api.url).get('/api/testimonies/../../etc/passwd').set('Authorization', `Bearer ${sokha.token}`);
    expect([400, 404]).toContain(res.status);
    const notUuid = await request(api.url).get('/api/testimonies/123').set('Authorization', `Bearer ${sokha.token}`);
    expect(notUuid.status).toBe(400);
  });
});

describe('Testimonies: filters, pages and deletion', () => {
  let api: TestApp;
  let editor: Awaited<ReturnType<typeof signedIn>>;
  let kosal: Awaited<ReturnType<typeof signedIn>>;
  let srey: Awaited<ReturnType<typeof signedIn>>;
  let provinceId: string;
  const items: Record<'km' | 'en' | 'th' | 'other', string> = { km: '', en: '', th: '', other: '' };

  /** An item created at a fixed time, so date filters have something certain to find. */
  async function itemAt(educator: TestUser, language: ContentLanguage, createdAt: string, status = TestimonyStatus.InReview): Promise<string> {
    const { id } = await createTestTestimony(educator, { language, status });
    await (await testDb()).query('UPDATE testimonies SET created_at = $1 WHERE id = $2', [createdAt, id]);
    return id;
  }

  beforeAll(async () => {
    api = await startTestApp();
    const commune = await anyCommune('220101');
    provinceId = commune.provinceId;
    editor = await signedIn(api.url, 'editor');
    kosal = await signedIn(api.url, 'educator', { communeId: commune.id });
    srey = await signedIn(api.url, 'educator');
    items.km = await itemAt(kosal, 'km', '2026-01-10T09:00:00Z');
    items.en = await itemAt(kosal, 'en', '2026-02-15T15:00:00Z');
    items.th = await itemAt(kosal, 'th', '2026-03-20T09:00:00Z');
    items.other = await itemAt(srey, 'km', '2026-02-15T10:00:00Z');
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  const ids = async (token: string, query: string) => {
    const res = await request(api.url).get(`/api/testimonies?${query}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return { ids: (res.body.items as { id: string }[]).map((i) => i.id), total: res.body.total as number };
  };

  it('filters by educator, language, province and creation dates (a date alone covers the whole day)', async () => {
    expect(await ids(editor.token, `educatorId=${kosal.id}`)).toEqual({ ids: [items.th, items.en, items.km], total: 3 });
    expect((await ids(editor.token, `educatorId=${kosal.id}&language=en`)).ids).toEqual([items.en]);
    expect((await ids(editor.token, `educatorId=${kosal.id}&from=2026-02-01&to=2026-02-28`)).ids).toEqual([items.en]);
    expect((await ids(editor.token, `educatorId=${kosal.id}&to=2026-02-15`)).ids).toEqual([items.en, items.km]);
    expect((await ids(editor.token, `educatorId=${kosal.id}&from=2026-02-15T16:00:00Z`)).ids).toEqual([items.th]);
    expect((await ids(editor.token, 'from=2026-02-15&to=2026-02-15')).ids).toEqual(expect.arrayContaining([items.en, items.other]));
    expect((await ids(editor.token, `provinceId=${provinceId}&from=2026-02-15&to=2026-02-15`)).ids).toEqual([items.en]);
  });

  it('pages through the newest first, and keeps an educator to their own items whatever the filter', async () => {
    expect(await ids(editor.token, `educatorId=${kosal.id}&pageSize=2&page=2`)).toEqual({ ids: [items.km], total: 3 });
    expect(await ids(srey.token, `educatorId=${kosal.id}`)).toEqual({ ids: [], total: 0 });
    const bad = await request(api.url).get('/api/testimonies?from=yesterday&language=fr').set('Authorization', `Bearer ${editor.token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toHaveLength(2);
  });

  it('lets an educator delete their own item before approval, but not after, and not anyone else’s', async () => {
    const del = (id: string, token: string) => request(api.url).delete(`/api/testimonies/${id}`).set('Authorization', `Bearer ${token}`);
    const approved = await itemAt(kosal, 'km', '2026-04-01T09:00:00Z', TestimonyStatus.Approved);
    const refused = await del(approved, kosal.token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/until an editor approves/);
    expect((await del(items.other, kosal.token)).status).toBe(404);
    expect((await del(items.km, editor.token)).status).toBe(403);

    expect((await del(items.km, kosal.token)).status).toBe(204);
    expect(await (await testDb()).getRepository(Testimony).findOneBy({ id: items.km })).toBeNull();
    const admin = await signedIn(api.url, 'admin');
    expect((await del(approved, admin.token)).status).toBe(204);
  });

  it('keeps the item and its files when S3 cannot delete them, and says so', async () => {
    const unreachable = await startTestApp({ env: { S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}` } });
    try {
      const id = await itemAt(kosal, 'km', '2026-05-01T09:00:00Z');
      const key = `${storageKeys.testimonyPrefix(id)}r1/poster.jpg`;
      await api.app.get(StorageService).put(key, Buffer.from('jpeg'), { contentType: 'image/jpeg' });
      const res = await request(unreachable.url).delete(`/api/testimonies/${id}`).set('Authorization', `Bearer ${kosal.token}`);
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/Nothing was deleted/);
      expect(await (await testDb()).getRepository(Testimony).findOneBy({ id })).not.toBeNull();
      expect(await api.app.get(StorageService).head(key)).not.toBeNull();
    } finally {
      await unreachable.close();
    }
  });
});
