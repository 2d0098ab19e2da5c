import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestTestimony, signedIn, TestApp } from './support/test-app';
import { closeUploadTestbed, encodeMetadata, startUploadTestbed, TUS, tusRequest, UploadTestbed, videoMetadata } from './support/upload-helpers';

jest.setTimeout(60_000);

const MB = 1024 * 1024;

/** Settings that keep what people leave behind from growing without end. */
describe('Limits on what one person can pile up', () => {
  let bed: UploadTestbed | undefined;
  let api: TestApp;

  beforeAll(async () => {
    bed = await startUploadTestbed({
      CAPTION_VERSIONS_KEPT: '3',
      CAPTION_PREVIEWS_PER_MINUTE: '3',
      UPLOAD_MAX_VIDEO_BYTES: String(4 * MB),
      UPLOAD_STAGING_QUOTA_BYTES: String(6 * MB),
    });
    api = bed.api;
  });
  afterAll(() => closeUploadTestbed(bed));

  it('keeps the last CAPTION_VERSIONS_KEPT versions of a caption track', async () => {
    const educator = await signedIn(api.url, 'educator');
    const id = (await createTestTestimony(educator)).id;
    const captions = (method: 'get' | 'put' | 'post', path: string) =>
      request(api.url)[method](`/api/testimonies/${id}/captions/km${path}`).set('Authorization', `Bearer ${educator.token}`);
    for (let n = 1; n <= 5; n++) {
      const res = await captions('put', '').send({ cues: [{ startMs: 0, endMs: 1000, text: `ការកែប្រែទី ${n}` }] });
      expect(res.body.version).toBe(n);
    }

    const versions = await captions('get', '/versions');
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([5, 4, 3]);
    expect((await captions('post', '/versions/2/restore')).status).toBe(404);
    const restored = await captions('post', '/versions/3/restore');
    expect(restored.body).toMatchObject({ version: 6, cues: [{ text: 'ការកែប្រែទី 3' }] });
    expect((await captions('get', '/versions')).body.map((v: { version: number }) => v.version)).toEqual([6, 5, 4]);
  });

  it('limits caption previews per person per minute, with Retry-After, leaving others alone', async () => {
    const editor = await signedIn(api.url, 'editor');
    const other = await signedIn(api.url, 'editor');
    // An unknown item answers 404 at once, so no worker is needed to count the requests.
    const preview = (who: { token: string }) =>
      request(api.url).get(`/api/testimonies/${randomUUID()}/captions/km/preview?atMs=0`).set('Authorization', `Bearer ${who.token}`);

    for (let i = 0; i < 3; i++) expect((await preview(editor)).status).toBe(404);
    const refused = await preview(editor);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await preview(other)).status).toBe(404);
  });

  it('refuses a new upload once a person\'s unfinished ones would pass UPLOAD_STAGING_QUOTA_BYTES', async () => {
    const educator = await signedIn(api.url, 'educator');
    const start = (who: { token: string }, size: number) =>
      tusRequest(`${api.url}${TUS}`, 'POST', { Authorization: `Bearer ${who.token}`, 'Upload-Length': size, 'Upload-Metadata': encodeMetadata(videoMetadata()) });

    expect((await start(educator, 4 * MB)).status).toBe(201);
    expect((await start(educator, 2 * MB)).status).toBe(201);
    const over = await start(educator, 1024);
    expect(over.status).toBe(409);
    expect(JSON.parse(over.body)).toMatchObject({ code: 'UPLOAD_QUOTA_EXCEEDED', message: expect.stringMatching(/6 MB in unfinished uploads/) });
    // Someone else's share is their own.
    expect((await start(await signedIn(api.url, 'educator'), 4 * MB)).status).toBe(201);
  });
});
