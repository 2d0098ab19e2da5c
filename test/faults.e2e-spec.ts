import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { apiEntryPoint, closedPort, killStragglers, Link, runNode, throughLink, waitFor } from './support/faults';
import { closeTestDb, createTestTestimony, createTestUser, login, signedIn, startTestApp, startTestWorker, TestApp } from './support/test-app';
import { TEST_PG_ADMIN_URL, TEST_REDIS_URL, testDatabaseUrl, testEnv } from './support/test-env';

jest.setTimeout(60_000);

/** Long enough for a slow machine, far shorter than "hangs until the client gives up". */
const NO_HANG_MS = 15_000;
const DEPENDENCIES = ['database', 'redis', 'storage', 'ffmpeg'] as const;
type Dependency = (typeof DEPENDENCIES)[number];

function s3Endpoint(): string {
  const endpoint = process.env.MIGRA_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('MIGRA_TEST_S3_ENDPOINT is not set; run through jest');
  return endpoint;
}

/** Sends `req`, which must answer within NO_HANG_MS; a time-out names the request, which superagent's error does not. */
async function noHang(req: request.Test): Promise<request.Response> {
  try {
    return await req.timeout(NO_HANG_MS);
  } catch (error) {
    throw new Error(`${req.method} ${req.url} did not answer within ${NO_HANG_MS} ms: ${(error as Error).message}`);
  }
}

const ready = (url: string) => noHang(request(url).get('/ready'));

const readyInDetail = (url: string, token: string) => noHang(request(url).get('/api/admin/ready').set('Authorization', `Bearer ${token}`));

/** /ready is 503 and names exactly `down` as down, and nothing else: the why is for admins. */
async function expectNotReady(url: string, ...down: Dependency[]): Promise<void> {
  const res = await ready(url);
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body).toMatchObject({ status: 'error', code: 'DEPENDENCY_UNAVAILABLE' });
  expect([...res.body.down].sort()).toEqual([...down].sort());
  for (const name of down) expect(res.body.message).toContain(name);
  expect(res.body.details).toBeUndefined();
}

/** The admin's view: `down` with a message for each, and every other dependency up. */
async function expectDetails(url: string, token: string, ...down: Dependency[]): Promise<Record<Dependency, { status: string; message?: string }>> {
  const res = await readyInDetail(url, token);
  expect(res.status).toBe(503);
  for (const name of DEPENDENCIES) {
    if (down.includes(name)) expect(res.body.details[name]).toEqual({ status: 'down', message: expect.stringMatching(/\w{3,}/) });
    else expect(res.body.details[name]).toMatchObject({ status: 'up' });
  }
  expect(Object.keys(res.body.error).sort()).toEqual([...down].sort());
  return res.body.details;
}

async function waitUntilReady(url: string, timeoutMs = 15_000): Promise<void> {
  let last: unknown;
  try {
    await waitFor('/ready to answer 200', async () => {
      const res = await ready(url);
      last = res.body;
      return res.status === 200;
    }, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last answer: ${JSON.stringify(last)}`);
  }
}

describe('When PostgreSQL, Redis or S3 goes away and comes back', () => {
  const pg = new Link(TEST_PG_ADMIN_URL, 5432);
  const redis = new Link(TEST_REDIS_URL, 6379);
  const s3 = new Link(s3Endpoint(), 80);
  const links = [pg, redis, s3];
  let api: TestApp | undefined;
  let worker: INestApplicationContext | undefined;
  let admin: { token: string; username: string; password: string };
  let editor: { token: string };

  beforeAll(async () => {
    for (const link of links) await link.start();
    api = await startTestApp({
      env: {
        DATABASE_URL: throughLink(testDatabaseUrl(), pg),
        REDIS_URL: throughLink(TEST_REDIS_URL, redis),
        S3_ENDPOINT: throughLink(s3Endpoint(), s3),
      },
    });
    // The worker talks to Redis directly: only the API's links are cut, so a worker-check can succeed again.
    worker = await startTestWorker();
    admin = await signedIn(api.url, 'admin');
    editor = await signedIn(api.url, 'editor');
    await createTestTestimony(await createTestUser('educator'));
  });

  afterEach(async () => {
    // A failed test must not leave a dependency cut for the next one.
    for (const link of links) await link.restore();
  });

  afterAll(async () => {
    await api?.close().catch(() => undefined);
    await worker?.close().catch(() => undefined);
    for (const link of links) await link.close();
    await closeTestDb();
  });

  it('is ready through the proxies while everything is up', async () => {
    expect((await ready(api!.url)).body).toEqual({ status: 'ok' });
    const res = await readyInDetail(api!.url, admin.token);
    expect(res.status).toBe(200);
    for (const name of DEPENDENCIES) expect(res.body.details[name]).toMatchObject({ status: 'up' });
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE quickly while PostgreSQL is down, and recovers when it returns', async () => {
    const url = api!.url;
    await pg.cut();

    await expectNotReady(url, 'database');
    // Who is an admin is itself in the database: the details wait for it, the logs have the reason.
    expect((await readyInDetail(url, admin.token)).status).toBe(503);
    const started = Date.now();
    const me = await noHang(request(url).get('/api/auth/me').set('Authorization', `Bearer ${editor.token}`));
    const list = await noHang(request(url).get('/api/testimonies').set('Authorization', `Bearer ${editor.token}`));
    // Signing in must not claim the password is wrong when the database simply cannot be asked.
    const signIn = await noHang(request(url).post('/api/auth/login').send({ username: admin.username, password: admin.password }));
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
    for (const res of [me, list, signIn]) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/database/i) });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }

    await pg.restore();
    await waitUntilReady(url);
    const meAgain = await noHang(request(url).get('/api/auth/me').set('Authorization', `Bearer ${editor.token}`));
    expect(meAgain.status).toBe(200);
    const listAgain = await noHang(request(url).get('/api/testimonies').set('Authorization', `Bearer ${editor.token}`));
    expect(listAgain.status).toBe(200);
    expect(listAgain.body.total).toBeGreaterThan(0);
    await login(url, admin);
  });

  it('answers 503 for queue work while Redis is down but still lets people sign in, and recovers when it returns', async () => {
    const url = api!.url;
    const check = () => noHang(request(url).post('/api/admin/worker-check').set('Authorization', `Bearer ${admin.token}`));
    expect((await check()).status).toBe(200);

    await redis.cut();
    await expectNotReady(url, 'redis');
    expect((await expectDetails(url, admin.token, 'redis')).redis.message).toMatch(/Redis is not answering/);

    const started = Date.now();
    const queued = await check();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(queued.status).toBe(503);
    expect(queued.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/Redis/) });

    // The login limiter fails open: a right password works, a wrong one is still just wrong.
    const token = await login(url, admin);
    expect((await request(url).get('/api/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const wrong = await noHang(request(url).post('/api/auth/login').send({ username: admin.username, password: 'not-the-password' }));
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');

    await redis.restore();
    await waitUntilReady(url);
    // The worker reconnects on its own back-off, which a busy machine stretches: give it time.
    const answered = await waitFor('a worker-check to succeed', async () => {
      const res = await check();
      return res.status === 200 ? res : false;
    }, 45_000);
    expect(answered.body).toMatchObject({ ok: true, checks: { database: { ok: true }, storage: { ok: true } } });
  }, 120_000);

  it('names storage in /ready while S3 is down, keeps serving what does not need it, and recovers when it returns', async () => {
    const url = api!.url;
    await s3.cut();

    await expectNotReady(url, 'storage');
    expect((await expectDetails(url, admin.token, 'storage')).storage.message).toMatch(/S3/);
    const list = await noHang(request(url).get('/api/testimonies').set('Authorization', `Bearer ${editor.token}`));
    expect(list.status).toBe(200);

    await s3.restore();
    await waitUntilReady(url);
  });
});

describe('Starting while Redis and S3 are down', () => {
  const redis = new Link(TEST_REDIS_URL, 6379);
  const s3 = new Link(s3Endpoint(), 80);
  let api: TestApp | undefined;
  let worker: INestApplicationContext | undefined;

  afterAll(async () => {
    await redis.restore().catch(() => undefined);
    await s3.restore().catch(() => undefined);
    await api?.close().catch(() => undefined);
    await worker?.close().catch(() => undefined);
    await redis.close();
    await s3.close();
    await closeTestDb();
  });

  it('starts, names both in /ready, and becomes ready once they return, creating its bucket then', async () => {
    await redis.start();
    await s3.start();
    await redis.cut();
    await s3.cut();
    // A bucket no earlier app has created: the first run of a fresh install, with S3 still starting.
    const bucket = `faults-${randomUUID().slice(0, 8)}`;
    api = await startTestApp({
      env: { REDIS_URL: throughLink(TEST_REDIS_URL, redis), S3_ENDPOINT: throughLink(s3Endpoint(), s3), S3_BUCKET: bucket },
    });
    const url = api.url;

    await expectNotReady(url, 'redis', 'storage');
    const user = await createTestUser('admin');
    const token = await login(url, user);
    await expectDetails(url, token, 'redis', 'storage');
    const started = Date.now();
    const queued = await noHang(request(url).post('/api/admin/worker-check').set('Authorization', `Bearer ${token}`));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(queued.status).toBe(503);
    expect(queued.body.code).toBe('DEPENDENCY_UNAVAILABLE');

    await redis.restore();
    await s3.restore();
    await waitUntilReady(url);

    worker = await startTestWorker({ S3_BUCKET: bucket });
    const answered = await waitFor('a worker-check to succeed', async () => {
      const res = await noHang(request(url).post('/api/admin/worker-check').set('Authorization', `Bearer ${token}`));
      return res.status === 200 ? res : false;
    });
    expect(answered.body.checks.storage).toMatchObject({ ok: true });
  });
});

describe('Start-up that cannot succeed', () => {
  let entry: { main: string; cleanup(): void } | undefined;

  beforeAll(async () => {
    entry = await apiEntryPoint();
  });
  afterAll(() => {
    killStragglers();
    entry?.cleanup();
  });

  it('stops within seconds with a clear message when PostgreSQL is unreachable', async () => {
    const port = await closedPort();
    const result = await runNode(
      entry!.main,
      { ...testEnv(), DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`, DATABASE_CONNECT_RETRIES: '0', PORT: String(await closedPort()) },
      20_000,
    );

    expect(result.signal).toBeNull();
    expect(result.code).not.toBe(0);
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stderr).toMatch(/PostgreSQL/);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toMatch(/Start PostgreSQL, or point DATABASE_URL at a running server/);
  });

  it('lists every configuration problem at once, naming each variable, without a stack trace', async () => {
    const env = { ...testEnv(), JWT_SECRET: 'short' } as Record<string, string>;
    delete env.DATABASE_URL;
    const result = await runNode(entry!.main, env, 20_000);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/2 problem/);
    expect(result.stderr).toMatch(/DATABASE_URL is missing/);
    expect(result.stderr).toMatch(/JWT_SECRET.*at least 32 characters/);
    expect(result.stderr).toContain('.env.example');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toMatch(/ready at/);
  });
});
