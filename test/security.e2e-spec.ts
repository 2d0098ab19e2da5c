import request from 'supertest';
import { User } from '../src/modules/users/user.entity';
import { browserLogin, closeTestDb, createTestUser, signedIn, startTestApp, TestApp, testDb } from './support/test-app';
import { encodeMetadata, TUS, tusRequest, videoMetadata } from './support/upload-helpers';

jest.setTimeout(60_000);

// The local S3 server's address: a page there is "same site" as the API, yet another origin.
const OTHER_ORIGIN = 'http://127.0.0.1:4569';

describe('Requests made with the session cookie', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: '1000' } });
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  async function adminCookie(): Promise<string> {
    return (await browserLogin(api.url, await createTestUser('admin'))).cookie;
  }

  async function isActive(id: string): Promise<boolean> {
    return (await (await testDb()).getRepository(User).findOneByOrFail({ id })).active;
  }

  it('refuses a state change posted from another origin of the same host, and changes nothing', async () => {
    const cookie = await adminCookie();
    const target = await createTestUser('educator');

    const forged = await request(api.url).post(`/api/users/${target.id}/deactivate`).set('Cookie', cookie).set('Origin', OTHER_ORIGIN);
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ code: 'CSRF_ORIGIN_MISMATCH', statusCode: 403 });
    const fromReferer = await request(api.url).post(`/api/users/${target.id}/deactivate`).set('Cookie', cookie).set('Referer', `${OTHER_ORIGIN}/migra-media/`);
    expect(fromReferer.status).toBe(403);
    const anonymous = await request(api.url).post(`/api/users/${target.id}/deactivate`).set('Cookie', cookie);
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.code).toBe('CSRF_ORIGIN_MISMATCH');
    expect(await isActive(target.id)).toBe(true);
  });

  it('accepts the same request from the app\'s own pages, by Origin or by Referer', async () => {
    const cookie = await adminCookie();
    const target = await createTestUser('educator');

    const byOrigin = await request(api.url).post(`/api/users/${target.id}/deactivate`).set('Cookie', cookie).set('Origin', api.url);
    expect(byOrigin.status).toBe(200);
    const byReferer = await request(api.url).post(`/api/users/${target.id}/reactivate`).set('Cookie', cookie).set('Referer', `${api.url}/users`);
    expect(byReferer.status).toBe(200);
    expect(await isActive(target.id)).toBe(true);
  });

  it('lets a bearer-token client through whatever its Origin, since no other page can send that header', async () => {
    const admin = await signedIn(api.url, 'admin');
    const target = await createTestUser('educator');
    const res = await request(api.url).post(`/api/users/${target.id}/deactivate`).set('Authorization', `Bearer ${admin.token}`).set('Origin', OTHER_ORIGIN);
    expect(res.status).toBe(200);
  });

  it('covers the raw tus upload route too', async () => {
    const { cookie } = await browserLogin(api.url, await createTestUser('educator'));
    const headers = { Cookie: cookie, 'Upload-Length': 1000, 'Upload-Metadata': encodeMetadata(videoMetadata()) };

    const forged = await tusRequest(`${api.url}${TUS}`, 'POST', { ...headers, Origin: OTHER_ORIGIN });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).code).toBe('CSRF_ORIGIN_MISMATCH');
    const own = await tusRequest(`${api.url}${TUS}`, 'POST', { ...headers, Origin: api.url });
    expect(own.status).toBe(201);
  });
});

describe('Bad requests', () => {
  let api: TestApp;
  let admin: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await signedIn(api.url, 'admin');
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  it('answers 400, not 500, to a page number past any list', async () => {
    for (const path of ['/api/users', '/api/audit', '/api/testimonies', '/api/admin/job-failures']) {
      const res = await request(api.url).get(`${path}?page=99999999999999999999`).set('Authorization', `Bearer ${admin.token}`);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.message).toMatch(/page must be at most 100000/i);
    }
  });

  it('answers 400, not 500, to a deeply nested JSON body, and still reads brackets inside text', async () => {
    const nested = `{"displayName":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const deep = await request(api.url).patch('/api/auth/me').set('Authorization', `Bearer ${admin.token}`).set('Content-Type', 'application/json').send(nested);
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/nested more than 32 levels/) });
    const login = await request(api.url).post('/api/auth/login').set('Content-Type', 'application/json').send('['.repeat(20_000) + ']'.repeat(20_000));
    expect(login.status).toBe(400);

    const brackets = await request(api.url).post('/api/auth/login').send({ username: 'nobody-here', password: `${'[{'.repeat(100)}"\\` });
    expect(brackets.status).toBe(401);
  });
});

describe('Caching', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  it('forbids storing API answers, refusals included, and leaves the liveness probe alone', async () => {
    const user = await signedIn(api.url, 'editor');
    const auth = { Authorization: `Bearer ${user.token}` };
    const answers = [
      await request(api.url).get('/api/auth/me').set(auth),
      await request(api.url).get('/api/testimonies').set(auth),
      await request(api.url).get('/api/users').set(auth),
      await request(api.url).get('/api/auth/me'),
      await request(api.url).post('/api/auth/login').send({ username: user.username, password: user.password }),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 200, 403, 401, 200]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
    expect((await request(api.url).get('/health')).headers['cache-control']).toBeUndefined();
  });
});
