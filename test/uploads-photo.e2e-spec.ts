import { readdirSync } from 'node:fs';
import request from 'supertest';
import { Asset, AssetRole } from '../src/modules/testimonies/asset.entity';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { signedIn, TestApp, testDb } from './support/test-app';
import { sha256, closeUploadTestbed, startUploadTestbed, UploadTestbed } from './support/upload-helpers';
import { waitFor } from './support/faults';

const KHMER_FILENAME = 'រូបថត-ភូមិ.jpg';

describe('Single-request photo uploads (multipart)', () => {
  let bed: UploadTestbed | undefined;
  let api: TestApp;
  let staging: string;
  let media: UploadTestbed['media'];
  let educator: UploadTestbed['educator'];

  beforeAll(async () => {
    bed = await startUploadTestbed({ UPLOAD_MAX_PHOTO_BYTES: String(1024 * 1024) });
    ({ api, staging, media, educator } = bed);
  });
  afterAll(() => closeUploadTestbed(bed));

  const post = (token: string, file: Buffer, filename: string, fields: Record<string, string> = {}) => {
    const call = request(api.url).post('/api/uploads/photo').set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries({ title: 'Village meeting', language: 'km', consent: 'true', ...fields })) call.field(k, v);
    return call.attach('file', file, filename);
  };

  it('stores a photo: 201 with the testimony id, original in S3, item processing; same bytes again → the same item', async () => {
    const photo = Buffer.concat([media.jpeg, Buffer.from(String(Math.random()))]);
    const res = await post(educator.token, photo, KHMER_FILENAME, { title: 'ប្រជុំភូមិ 📸' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ testimonyId: expect.stringMatching(/^[0-9a-f-]{36}$/), duplicate: false });
    const db = await testDb();
    const testimony = await waitFor('processing', () => db.getRepository(Testimony).findOneBy({ id: res.body.testimonyId, status: TestimonyStatus.Processing }));
    expect(testimony).toMatchObject({ kind: 'photo', title: 'ប្រជុំភូមិ 📸', originalSha256: sha256(photo) });
    const original = await db.getRepository(Asset).findOneByOrFail({ testimonyId: testimony.id, role: AssetRole.Original });
    expect(original).toMatchObject({ mimeType: 'image/jpeg', originalFilename: KHMER_FILENAME, byteSize: photo.length });

    const again = await post(educator.token, photo, 'copy.jpg');
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ testimonyId: testimony.id, duplicate: true });
    await waitFor('the staging folder to empty', async () => readdirSync(staging).length === 0);
  });

  it('cleans a title and description of NUL, control characters and bidi overrides, as captions are cleaned', async () => {
    const photo = Buffer.concat([media.jpeg, Buffer.from(String(Math.random()))]);
    const res = await post(educator.token, photo, 'photo\u202Egpj.exe', {
      title: 'ប្រជុំ\u0000ភូមិ \u202Egpj.exe\u202C\nនៅថ្ងៃ\u2066ច័ន្ទ\u2069',
      description: 'បន្ទាត់ទី១\r\nLine\u0007 two\u001B[31m\uFEFF',
    });
    expect(res.body).toMatchObject({ testimonyId: expect.any(String) });
    const db = await testDb();
    const testimony = await db.getRepository(Testimony).findOneByOrFail({ id: res.body.testimonyId });
    expect(testimony).toMatchObject({ title: 'ប្រជុំភូមិ gpj.exe នៅថ្ងៃច័ន្ទ', description: 'បន្ទាត់ទី១\nLine two[31m' });
    const original = await db.getRepository(Asset).findOneByOrFail({ testimonyId: testimony.id, role: AssetRole.Original });
    expect(original.originalFilename).toBe('photogpj.exe');
    await waitFor('the staging folder to empty', async () => readdirSync(staging).length === 0);
  });

  it('stops a photo over the limit while it streams (413) and keeps nothing', async () => {
    const res = await post(educator.token, Buffer.alloc(1024 * 1024 + 10, 1), 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: expect.stringContaining('1 MB') });
    expect(readdirSync(staging)).toEqual([]);
  });

  it('refuses a video sent as a photo, a text file and missing consent, keeping nothing', async () => {
    const video = await post(educator.token, media.mp4, 'clip.jpg');
    expect(video.status).toBe(415);
    expect(video.body).toMatchObject({ code: 'UPLOAD_WRONG_KIND', message: expect.stringContaining('Choose "video"') });
    const text = await post(educator.token, Buffer.from('hello'), 'notes.jpg');
    expect(text.status).toBe(415);
    const noConsent = await post(educator.token, media.jpeg, 'photo.jpg', { consent: '' });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body).toMatchObject({ code: 'UPLOAD_CONSENT_REQUIRED' });
    const noFile = await request(api.url).post('/api/uploads/photo').set('Authorization', `Bearer ${educator.token}`).field('title', 'x');
    expect(noFile.status).toBe(400);
    expect(readdirSync(staging)).toEqual([]);
  });

  it('is closed to editors and leads, and to anyone not signed in', async () => {
    for (const role of ['editor', 'lead'] as const) expect((await post((await signedIn(api.url, role)).token, media.jpeg, 'p.jpg')).status).toBe(403);
    expect((await request(api.url).post('/api/uploads/photo').attach('file', media.jpeg, 'p.jpg')).status).toBe(401);
  });
});
