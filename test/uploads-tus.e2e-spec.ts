import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { QueueName } from '../src/modules/queues/job-catalog';
import { processTestimonyJobId } from '../src/modules/processing/process-testimony.job';
import { StorageService } from '../src/modules/storage/storage.service';
import { Asset, AssetRole } from '../src/modules/testimonies/asset.entity';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { signedIn, TestApp, testDb } from './support/test-app';
import { encodeMetadata, patchAndDrop, sha256, sha256OfStream, TUS, tusClientUpload, tusRequest, videoMetadata, closeUploadTestbed, startUploadTestbed, UploadTestbed } from './support/upload-helpers';
import { waitFor } from './support/faults';

const KHMER_TITLE = 'ការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព 🙏🏽✈️';
const KHMER_FILENAME = 'វីដេអូ-ចំណាកស្រុក.mp4';

describe('Resumable uploads (tus)', () => {
  let bed: UploadTestbed | undefined;
  let api: TestApp;
  let staging: string;
  let media: UploadTestbed['media'];
  let educator: UploadTestbed['educator'];

  beforeAll(async () => {
    bed = await startUploadTestbed({ UPLOAD_MAX_VIDEO_BYTES: String(2 * 1024 * 1024), UPLOAD_MAX_PHOTO_BYTES: String(1024 * 1024) });
    ({ api, staging, media, educator } = bed);
  });
  afterAll(() => closeUploadTestbed(bed));

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = (token: string, length: number, metadata: Record<string, string>) =>
    tusRequest(`${api.url}${TUS}`, 'POST', { ...auth(token), 'Upload-Length': length, 'Upload-Metadata': encodeMetadata(metadata) });

  async function handedOver(testimonyId: string): Promise<{ testimony: Testimony; original: Asset }> {
    const db = await testDb();
    const testimony = await waitFor(
      'the item to reach processing', () => db.getRepository(Testimony).findOne({ where: { id: testimonyId, status: TestimonyStatus.Processing } }),
    );
    const originals = await db.getRepository(Asset).findBy({ testimonyId, role: AssetRole.Original });
    expect(originals).toHaveLength(1);
    return { testimony, original: originals[0] };
  }

  it('takes a video through tus-js-client: stored in S3 byte for byte, item processing, its job enqueued', async () => {
    const { testimonyId, duplicate } = await tusClientUpload(api.url, educator.token, media.mp4, videoMetadata());
    expect(testimonyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(duplicate).toBe('false');

    const { testimony, original } = await handedOver(testimonyId!);
    expect(testimony).toMatchObject({ processingGeneration: 1, originalSha256: sha256(media.mp4), educatorId: educator.id, communeId: educator.communeId });
    expect(testimony.consentDeclaredAt).toBeInstanceOf(Date);
    expect(original).toMatchObject({ mimeType: 'video/mp4', byteSize: media.mp4.length, sha256: sha256(media.mp4), width: null, durationMs: null });
    expect(original.storageKey).toBe(`testimonies/${testimonyId}/${original.id}.mp4`);
    expect(await sha256OfStream(await api.app.get(StorageService).get(original.storageKey))).toBe(sha256(media.mp4));

    const job = await api.app.get(JobQueue).queue(QueueName.Media).getJob(processTestimonyJobId(testimonyId!, 1));
    expect(job).toMatchObject({ name: 'process-testimony', data: { testimonyId, generation: 1 } });
    await job?.remove().catch(() => undefined);
    await waitFor('the staging folder to empty', async () => readdirSync(staging).length === 0);
  });

  it('takes a corrected file as a new revision of the same item once changes are asked, and drops the old original', async () => {
    const { testimonyId } = await tusClientUpload(api.url, educator.token, media.mp4, videoMetadata({ title: 'First cut' }));
    const first = await handedOver(testimonyId!);
    const queue = api.app.get(JobQueue).queue(QueueName.Media);
    await (await queue.getJob(processTestimonyJobId(testimonyId!, 1)))?.remove().catch(() => undefined);

    const corrected = Buffer.concat([media.mp4, randomBytes(64)]);
    const early = tusClientUpload(api.url, educator.token, corrected, videoMetadata({ revisionOf: testimonyId! }));
    await expect(early).rejects.toThrow(/REVISION_NOT_EXPECTED/);

    const db = await testDb();
    await db.getRepository(Testimony).update(testimonyId!, { status: TestimonyStatus.ChangesRequested });
    const other = await signedIn(api.url, 'educator');
    await expect(tusClientUpload(api.url, other.token, corrected, videoMetadata({ revisionOf: testimonyId! }))).rejects.toThrow(/404/);
    await expect(tusClientUpload(api.url, educator.token, media.mp4, videoMetadata({ revisionOf: testimonyId! }))).rejects.toThrow(/same file/);

    const revision = await tusClientUpload(api.url, educator.token, corrected, videoMetadata({ title: 'Second cut', revisionOf: testimonyId! }));
    expect(revision.testimonyId).toBe(testimonyId);
    const { testimony, original } = await handedOver(testimonyId!);
    expect(testimony).toMatchObject({ title: 'Second cut', processingGeneration: 2, originalSha256: sha256(corrected) });
    expect(original.storageKey).not.toBe(first.original.storageKey);
    expect(await queue.getJob(processTestimonyJobId(testimonyId!, 2))).toMatchObject({ data: { testimonyId, generation: 2 } });
    const storage = api.app.get(StorageService);
    await waitFor('the earlier original to be deleted', async () => (await storage.head(first.original.storageKey)) === null);
    await (await queue.getJob(processTestimonyJobId(testimonyId!, 2)))?.remove().catch(() => undefined);
  });

  it('resumes an upload cut at several random offsets, and keeps a Khmer title with emoji and a Khmer filename', async () => {
    // Trailing bytes keep it an MP4 but make it new, so it is not answered as a repeat of the first test's upload.
    const data = Buffer.concat([media.mp4, randomBytes(600 * 1024)]);
    const created = await create(educator.token, data.length, videoMetadata({ title: KHMER_TITLE, filename: KHMER_FILENAME, language: 'km' }));
    expect(created.status).toBe(201);
    const url = `${api.url}${created.headers.location}`;
    expect(created.headers.location).toMatch(new RegExp(`^${TUS}/[0-9a-f]+$`));

    let finished: Awaited<ReturnType<typeof tusRequest>> | undefined;
    for (let cuts = 0; !finished; cuts++) {
      const head = await tusRequest(url, 'HEAD', auth(educator.token));
      expect(head.status).toBe(200);
      const offset = Number(head.headers['upload-offset']);
      const rest = data.subarray(offset);
      if (cuts < 4 && rest.length > 1024) {
        await patchAndDrop(url, educator.token, offset, rest, 1 + Math.floor(Math.random() * (rest.length - 1)));
        continue;
      }
      const patch = await tusRequest(url, 'PATCH', { ...auth(educator.token), 'Upload-Offset': offset, 'Content-Type': 'application/offset+octet-stream' }, rest);
      if (patch.status === 409) continue; // the dropped request was still writing; ask for the offset again
      expect(patch.status).toBe(204);
      finished = patch;
    }
    const testimonyId = String(finished.headers['migra-testimony-id']);
    const { testimony, original } = await handedOver(testimonyId);
    expect(testimony.title).toBe(KHMER_TITLE.normalize('NFC'));
    expect(original.originalFilename).toBe(KHMER_FILENAME);
    expect(original.sha256).toBe(sha256(data));
    expect(await sha256OfStream(await api.app.get(StorageService).get(original.storageKey))).toBe(sha256(data));
  });

  it.each([
    ['a missing title', { title: '' }, 400, 'UPLOAD_INVALID_DETAILS', /title/],
    ['a title over 200 characters', { title: 'ក'.repeat(201) }, 400, 'UPLOAD_INVALID_DETAILS', /at most 200/],
    ['an unknown language', { language: 'fr' }, 400, 'UPLOAD_INVALID_DETAILS', /language/],
    ['an unknown kind', { kind: 'audio' }, 400, 'UPLOAD_INVALID_DETAILS', /video or a photo/],
    ['no consent', { consent: 'false' }, 400, 'UPLOAD_CONSENT_REQUIRED', /agreed to be recorded/],
    ['an unknown commune', { communeId: '00000000-0000-4000-8000-000000000000' }, 400, 'UNKNOWN_COMMUNE', /campaign/],
  ])('refuses %s before any byte is sent', async (_what, override, status, code, message) => {
    const res = await create(educator.token, 1000, videoMetadata(override));
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: status, code, message: expect.stringMatching(message) });
    expect(readdirSync(staging)).toEqual([]);
  });

  it('refuses a declared size over the kind\'s limit with 413 naming the limit, and a deferred length', async () => {
    const photo = await create(educator.token, 1024 * 1024 + 1, videoMetadata({ kind: 'photo' }));
    expect(photo.status).toBe(413);
    expect(JSON.parse(photo.body)).toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: expect.stringContaining('1 MB') });
    const video = await create(educator.token, 2 * 1024 * 1024 + 1, videoMetadata());
    expect(video.status).toBe(413);
    const deferred = await tusRequest(`${api.url}${TUS}`, 'POST', { ...auth(educator.token), 'Upload-Defer-Length': 1, 'Upload-Metadata': encodeMetadata(videoMetadata()) });
    expect(deferred.status).toBe(400);
    expect(JSON.parse(deferred.body)).toMatchObject({ code: 'UPLOAD_LENGTH_REQUIRED' });
    expect(readdirSync(staging)).toEqual([]);
  });

  it.each([
    ['a zero-byte file', Buffer.alloc(0), 'clip.mp4', 'video', /empty/],
    ['a text file named .mp4', Buffer.from('just some text, not a video\n'.repeat(20)), 'clip.mp4', 'video', /not a video or a photo/],
    ['a text file named .jpg', Buffer.from('just some text, not a photo\n'.repeat(20)), 'photo.jpg', 'photo', /not a video or a photo/],
  ])('refuses %s with 415, creating nothing and removing the staged file', async (_what, data, filename, kind, message) => {
    const title = `refused ${Math.random()}`;
    await expect(tusClientUpload(api.url, educator.token, data, videoMetadata({ filename, kind, title }))).rejects.toThrow(/415/);
    const db = await testDb();
    expect(await db.getRepository(Testimony).countBy({ title })).toBe(0);
    expect(readdirSync(staging)).toEqual([]);
    const raw = await create(educator.token, data.length, videoMetadata({ filename, kind, title }));
    const done = data.length === 0 ? raw : await tusRequest(`${api.url}${raw.headers.location}`, 'PATCH', { ...auth(educator.token), 'Upload-Offset': 0, 'Content-Type': 'application/offset+octet-stream' }, data);
    expect(done.status).toBe(415);
    expect(JSON.parse(done.body)).toMatchObject({ code: 'UPLOAD_NOT_MEDIA', message: expect.stringMatching(message) });
  });

  it('tells which kind to choose when a photo is sent as a video', async () => {
    const res = await tusClientUpload(api.url, educator.token, media.jpeg, videoMetadata({ kind: 'video' })).catch((e: Error) => e);
    expect(String(res)).toMatch(/response code: 415.*This file is a photo, not a video\. Choose \\"photo\\".*UPLOAD_WRONG_KIND/);
  });

  it('keeps "../../etc/passwd.jpg" as data only: the key is built from ids', async () => {
    const { testimonyId } = await tusClientUpload(api.url, educator.token, media.jpeg, videoMetadata({ kind: 'photo', filename: '../../etc/passwd.jpg' }));
    const { original } = await handedOver(testimonyId!);
    expect(original.originalFilename).toBe('../../etc/passwd.jpg');
    expect(original.storageKey).toBe(`testimonies/${testimonyId}/${original.id}.jpg`);
    expect(existsSync('/etc/passwd.jpg')).toBe(false);
  });

  it('lets only the creator see, resume or cancel an upload; others get 404, a bad token 401, editors and leads 403', async () => {
    const created = await create(educator.token, media.mp4.length, videoMetadata());
    const url = `${api.url}${created.headers.location}`;
    const other = await signedIn(api.url, 'educator');
    const admin = await signedIn(api.url, 'admin');
    for (const who of [other, admin]) {
      expect((await tusRequest(url, 'HEAD', auth(who.token))).status).toBe(404);
      expect((await tusRequest(url, 'PATCH', { ...auth(who.token), 'Upload-Offset': 0, 'Content-Type': 'application/offset+octet-stream' }, Buffer.from('x'))).status).toBe(404);
      expect((await tusRequest(url, 'DELETE', auth(who.token))).status).toBe(404);
    }
    expect((await tusRequest(url, 'HEAD', auth('not.a.valid-token'))).status).toBe(401);
    for (const role of ['editor', 'lead'] as const) {
      const res = await create((await signedIn(api.url, role)).token, 10, videoMetadata());
      expect(res.status).toBe(403);
    }
    expect((await tusRequest(url, 'HEAD', auth(educator.token))).headers['upload-offset']).toBe('0');
    expect((await tusRequest(url, 'DELETE', auth(educator.token))).status).toBe(204);
    expect(readdirSync(staging)).toEqual([]);
  });

  it('tells a phone that lost the answer to its last chunk which item its upload became, instead of taking it all again', async () => {
    const photo = Buffer.concat([media.jpeg, randomBytes(16)]);
    const created = await create(educator.token, photo.length, videoMetadata({ kind: 'photo' }));
    const url = `${api.url}${created.headers.location}`;
    const last = await tusRequest(url, 'PATCH', { ...auth(educator.token), 'Upload-Offset': 0, 'Content-Type': 'application/offset+octet-stream' }, photo);
    const testimonyId = String(last.headers['migra-testimony-id']);
    await handedOver(testimonyId);

    const again = await tusRequest(url, 'HEAD', auth(educator.token));
    expect(again.status).toBe(200);
    expect(again.headers).toMatchObject({ 'upload-offset': String(photo.length), 'upload-length': String(photo.length), 'migra-testimony-id': testimonyId, 'cache-control': 'no-store' });
    const other = await signedIn(api.url, 'educator');
    expect((await tusRequest(url, 'HEAD', auth(other.token))).status).toBe(404);
    const queue = api.app.get(JobQueue).queue(QueueName.Media);
    await (await queue.getJob(processTestimonyJobId(testimonyId, 1)))?.remove().catch(() => undefined);
  });

  it('gives the same educator their existing item for the same bytes, and another educator a new one', async () => {
    const photo = Buffer.concat([media.jpeg, Buffer.from(String(Math.random()))]);
    const first = await tusClientUpload(api.url, educator.token, photo, videoMetadata({ kind: 'photo' }));
    const again = await tusClientUpload(api.url, educator.token, photo, videoMetadata({ kind: 'photo', title: 'again' }));
    expect(again).toEqual({ testimonyId: first.testimonyId, duplicate: 'true' });
    const other = await signedIn(api.url, 'educator');
    const theirs = await tusClientUpload(api.url, other.token, photo, videoMetadata({ kind: 'photo' }));
    expect(theirs.duplicate).toBe('false');
    expect(theirs.testimonyId).not.toBe(first.testimonyId);
    await handedOver(first.testimonyId!);
    await handedOver(theirs.testimonyId!);
  });
});
