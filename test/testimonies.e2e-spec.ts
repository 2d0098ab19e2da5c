import request from 'supertest';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, startTestApp, TestApp } from './support/test-app';

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
