import IORedis from 'ioredis';
import request from 'supertest';
import { signedIn, startTestApp, TestApp } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';

jest.setTimeout(60_000);

describe('Health and readiness', () => {
  let api: TestApp | undefined;
  let noFfmpeg: TestApp | undefined;
  let adminToken: string;

  beforeAll(async () => {
    api = await startTestApp();
    noFfmpeg = await startTestApp({ env: { FFMPEG_PATH: '/nonexistent/ffmpeg' } });
    adminToken = (await signedIn(api.url, 'admin')).token;
  });
  afterAll(async () => {
    await api?.close();
    await noFfmpeg?.close();
  });

  const detail = (url: string, token = adminToken) => request(url).get('/api/admin/ready').set('Authorization', `Bearer ${token}`);

  it('answers /health with 200 {status: ok} to anyone, without checking dependencies', async () => {
    const res = await request(api!.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
    // Even while ffmpeg is missing, the process itself is alive: a liveness probe must not restart it.
    expect((await request(noFfmpeg!.url).get('/health')).status).toBe(200);
  });

  it('answers /ready with 200 and its status alone, without versions or the bucket name', async () => {
    const res = await request(api!.url).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.text).not.toContain(api!.config.s3.bucket);
    expect(res.text).not.toMatch(/version/);
  });

  it('gives admins the details at /api/admin/ready: each dependency, the bucket and the ffmpeg version', async () => {
    const res = await detail(api!.url);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    for (const name of ['database', 'redis', 'storage', 'ffmpeg']) {
      expect(res.body.details[name]).toMatchObject({ status: 'up' });
    }
    expect(res.body.details.storage.bucket).toBe(api!.config.s3.bucket);
    expect(res.body.details.ffmpeg.ffmpeg).toMatch(/^ffmpeg version/);
    expect(res.body.error).toEqual({});

    const editor = await signedIn(api!.url, 'editor');
    expect((await detail(api!.url, editor.token)).status).toBe(403);
    expect((await request(api!.url).get('/api/admin/ready')).status).toBe(401);
  });

  it('reports the Redis eviction policy, warning without failing readiness when Redis may evict queued jobs', async () => {
    const redis = new IORedis(TEST_REDIS_URL);
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    redis.disconnect();
    // The public /ready is terse; the settings are in the admins' report.
    const res = await detail(api!.url);
    expect(res.status).toBe(200);
    expect(res.body.details.redisSettings).toMatchObject({ status: 'up', maxmemoryPolicy: policy });
    if (policy === 'noeviction') expect(res.body.details.redisSettings.warning ?? '').not.toMatch(/maxmemory-policy/);
    else expect(res.body.details.redisSettings.warning).toMatch(/maxmemory-policy/);
  });

  it('is public and answers JSON even to a browser asking for HTML, never the web app', async () => {
    for (const path of ['/ready', '/health']) {
      const res = await request(api!.url).get(path).set('Accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.text).not.toMatch(/<html/i);
    }
    // A stale or forged session must not turn a probe into a 401.
    const withBadToken = await request(api!.url).get('/ready').set('Authorization', 'Bearer not-a-token');
    expect(withBadToken.status).toBe(200);
  });

  it('answers 503 naming ffmpeg when the binary is missing, and tells admins to install it', async () => {
    const res = await request(noFfmpeg!.url).get('/ready').set('Accept', 'text/html');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ status: 'error', code: 'DEPENDENCY_UNAVAILABLE', down: ['ffmpeg'] });
    expect(res.body.message).toMatch(/ffmpeg/);
    expect(res.text).not.toContain('/nonexistent/ffmpeg');

    const details = await detail(noFfmpeg!.url);
    expect(details.status).toBe(503);
    expect(details.body).toMatchObject({ status: 'error', code: 'DEPENDENCY_UNAVAILABLE' });
    expect(Object.keys(details.body.error)).toEqual(['ffmpeg']);
    expect(details.body.details.ffmpeg.status).toBe('down');
    expect(details.body.details.ffmpeg.message).toContain('/nonexistent/ffmpeg');
    expect(details.body.details.ffmpeg.message).toMatch(/install ffmpeg/);
    expect(details.body.message).toMatch(/install ffmpeg/);
    for (const name of ['database', 'redis', 'storage']) expect(details.body.details[name]).toMatchObject({ status: 'up' });
  });
});

describe('API documentation', () => {
  it('is served by default outside production, and not at all when API_DOCS_ENABLED=false', async () => {
    const withDocs = await startTestApp();
    const without = await startTestApp({ env: { API_DOCS_ENABLED: 'false' } });
    try {
      expect((await request(withDocs.url).get('/api/docs-json')).status).toBe(200);
      expect((await request(without.url).get('/api/docs-json')).status).toBe(404);
      expect((await request(without.url).get('/api/docs').set('Accept', 'text/html')).status).toBe(404);
    } finally {
      await withDocs.close();
      await without.close();
    }
  });
});
