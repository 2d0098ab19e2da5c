import { INestApplicationContext } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { WithdrawalMediaPurgeHandler } from '../src/modules/consent/withdrawal-media-purge.handler';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { photoFixtures } from './support/media-fixtures';
import { assetRows, listKeys, testimonyRow } from './support/processing-fixtures';
import { addRendition, as, consentBody } from './support/review-helpers';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, startTestApp, startTestWorker, TestApp } from './support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;
const DAY_MS = 86400_000;

describe('Withdrawal of consent: the item comes down everywhere', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  let educator: Signed;
  let otherEducator: Signed;
  let editor: Signed;
  let admin: Signed;
  const dir = mkdtempSync(join(tmpdir(), 'migra-consent-'));

  beforeAll(async () => {
    api = await startTestApp();
    worker = await startTestWorker();
    educator = await signedIn(api.url, 'educator');
    otherEducator = await signedIn(api.url, 'educator', { communeId: (await anyCommune('220101')).id });
    editor = await signedIn(api.url, 'editor');
    admin = await signedIn(api.url, 'admin');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await closeTestDb();
  });

  const approvedWithMedia = async () => {
    const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview });
    const consent = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody());
    await addRendition(api, item.id);
    expect((await as(api, editor.token).post(`/testimonies/${item.id}/approve`)).status).toBe(201);
    return { item, consentId: consent.body.id as string };
  };
  const withdrawal = { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'through_educator', note: 'Her brother asked for it to be taken down.' };

  it('takes an approved item out of approval at once, stops its links for all but admins, and lists each step', async () => {
    const { item, consentId } = await approvedWithMedia();
    const res = await as(api, educator.token).post(`/testimonies/${item.id}/consents/${consentId}/withdrawal`, withdrawal);
    expect(res.status).toBe(201);
    expect((await testimonyRow(item.id))?.status).toBe('withdrawn');

    const [w] = res.body;
    expect(w.complete).toBe(false);
    expect(w.steps.map((s: { step: string; state: string }) => [s.step, s.state])).toEqual([
      ['left_review', 'done'],
      ['links_stopped', 'done'],
      ['schedules_cancelled', 'not_needed'],
      ['page_takedown', 'not_needed'],
      ['media_deleted', 'pending'],
    ]);
    expect(w.steps[0].detail).toEqual({ from: 'approved' });

    for (const viewer of [educator, editor]) {
      const detail = await as(api, viewer.token).get(`/testimonies/${item.id}`);
      expect(detail.body.renditions).toEqual([]);
      expect(detail.body.thumbnailUrl).toBeNull();
      const captions = await as(api, viewer.token).get(`/testimonies/${item.id}/captions`);
      expect(captions.body.code).toBe('ITEM_WITHDRAWN');
    }
    expect((await as(api, admin.token).get(`/testimonies/${item.id}`)).body.renditions).toHaveLength(1);

    const consents = await as(api, editor.token).get(`/testimonies/${item.id}/consents`);
    expect(consents.body[0]).toMatchObject({ state: 'withdrawn' });
    expect((await as(api, editor.token).get(`/testimonies/${item.id}/consents/${consentId}/evidence`)).body.code).toBe('ITEM_WITHDRAWN');
  });

  it('refuses every further action on a withdrawn item, and a second withdrawal of the same consent', async () => {
    const { item, consentId } = await approvedWithMedia();
    await as(api, editor.token).post(`/testimonies/${item.id}/consents/${consentId}/withdrawal`, { ...withdrawal, receivedVia: 'phone' });
    const attempts = [
      await as(api, editor.token).post(`/testimonies/${item.id}/approve`),
      await as(api, editor.token).post(`/testimonies/${item.id}/comments`, { body: 'still here?' }),
      await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody()),
      await as(api, editor.token).post(`/testimonies/${item.id}/reprocess`),
    ];
    expect(attempts.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([409, 'ITEM_WITHDRAWN']));
    const again = await as(api, editor.token).post(`/testimonies/${item.id}/consents/${consentId}/withdrawal`, withdrawal);
    expect(again.body.code).toBe('CONSENT_ALREADY_WITHDRAWN');
  });

  it("lets an educator record a withdrawal only for their own items", async () => {
    const { item, consentId } = await approvedWithMedia();
    const res = await as(api, otherEducator.token).post(`/testimonies/${item.id}/consents/${consentId}/withdrawal`, withdrawal);
    expect(res.status).toBe(404);
    expect((await testimonyRow(item.id))?.status).toBe('approved');
  });

  it('deletes the media after the grace period, unless an admin keeps it for the record', async () => {
    const purge = worker.get(WithdrawalMediaPurgeHandler);
    const deleted = await approvedWithMedia();
    const kept = await approvedWithMedia();
    for (const { item } of [deleted, kept]) await as(api, editor.token).post(`/testimonies/${item.id}/withdrawal`, withdrawal);
    const [keptWithdrawal] = (await as(api, admin.token).get(`/testimonies/${kept.item.id}/withdrawals`)).body;
    expect((await as(api, editor.token).post(`/withdrawals/${keptWithdrawal.id}/keep-media`, { reason: 'A police complaint' })).status).toBe(403);
    expect((await as(api, admin.token).post(`/withdrawals/${keptWithdrawal.id}/keep-media`, { reason: 'A police complaint' })).status).toBe(200);

    // Not yet due: nothing happens.
    await purge.purgeDue(new Date());
    expect(await listKeys(api.config, storageKeys.testimonyPrefix(deleted.item.id))).toHaveLength(1);

    await purge.purgeDue(new Date(Date.now() + 31 * DAY_MS));
    expect(await listKeys(api.config, storageKeys.testimonyPrefix(deleted.item.id))).toEqual([]);
    expect(await assetRows(deleted.item.id)).toEqual([]);
    expect(await listKeys(api.config, storageKeys.testimonyPrefix(kept.item.id))).toHaveLength(1);

    const [done] = (await as(api, editor.token).get(`/testimonies/${deleted.item.id}/withdrawals`)).body;
    expect(done.complete).toBe(true);
    expect(done.steps.at(-1)).toMatchObject({ step: 'media_deleted', state: 'done', detail: { objects: 1 } });
    const [skipped] = (await as(api, editor.token).get(`/testimonies/${kept.item.id}/withdrawals`)).body;
    expect(skipped.steps.at(-1)).toMatchObject({ step: 'media_deleted', state: 'skipped' });
  });

  describe('consent evidence', () => {
    it('stores a photo of the form without its GPS, and shows it to editors and admins only', async () => {
      const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview });
      const consent = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ method: 'thumbprint' }));
      const photo = readFileSync(await photoFixtures.phonePhoto(dir));
      expect((await sharp(photo).metadata()).exif).toBeDefined();

      const up = await as(api, educator.token).upload(`/testimonies/${item.id}/consents/${consent.body.id}/evidence`, photo, 'form.jpg');
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({ hasEvidence: true, evidenceMime: 'image/jpeg' });

      expect((await as(api, educator.token).get(`/testimonies/${item.id}/consents/${consent.body.id}/evidence`)).status).toBe(403);
      const link = await as(api, editor.token).get(`/testimonies/${item.id}/consents/${consent.body.id}/evidence`);
      expect(link.status).toBe(200);
      const stored = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
      const meta = await sharp(stored).metadata();
      expect(meta.exif).toBeUndefined();
      // Upright: the sideways phone photo (4032x3024, orientation 6) is stored 3024 wide.
      expect([meta.width, meta.height]).toEqual([3024, 4032]);
    });

    /** Uploads a recording as evidence, which must be kept as audio, and fetches what was stored, as an editor would. */
    async function storedRecording(itemId: string, consentId: string, recording: string): Promise<string> {
      const up = await as(api, educator.token).upload(`/testimonies/${itemId}/consents/${consentId}/evidence`, readFileSync(recording), basename(recording));
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({ hasEvidence: true, evidenceMime: 'audio/mp4' });
      const link = await as(api, editor.token).get(`/testimonies/${itemId}/consents/${consentId}/evidence`);
      const stored = join(dir, `stored-${basename(recording)}.m4a`);
      writeFileSync(stored, Buffer.from(await (await fetch(link.body.url)).arrayBuffer()));
      return stored;
    }

    it('stores a recording of verbal consent as audio, without the place the phone wrote into it', async () => {
      const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview });
      const consent = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ method: 'verbal_recording' }));
      const recording = join(dir, 'consent.m4a');
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-c:a', 'aac',
        '-metadata', 'location=+13.3633+103.8564/', '-metadata', 'title=Sokha at home', '-y', recording]);

      const stored = await storedRecording(item.id, consent.body.id, recording);
      const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', stored]).toString());
      expect(probed.streams.map((s: { codec_type: string }) => s.codec_type)).toEqual(['audio']);
      expect(JSON.stringify(probed.format.tags ?? {})).not.toMatch(/13\.3633|Sokha/);
    });

    it('keeps a voice recording with a cover picture as audio alone, without the photo\'s GPS', async () => {
      const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview });
      const consent = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody({ method: 'verbal_recording' }));
      // What a recorder app writes: sound, and a phone photo as cover art, in a container sniffed as video.
      const cover = await photoFixtures.phonePhoto(dir);
      const recording = join(dir, 'consent-with-cover.mp4');
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-i', cover, '-map', '0', '-map', '1',
        '-c:a', 'aac', '-c:v', 'copy', '-disposition:v:0', 'attached_pic', '-y', recording]);
      expect(readFileSync(recording).includes('Exif')).toBe(true);

      const stored = await storedRecording(item.id, consent.body.id, recording);
      expect(readFileSync(stored).includes('Exif')).toBe(false);
      const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', stored]).toString());
      expect(probed.streams.map((s: { codec_type: string }) => s.codec_type)).toEqual(['audio']);
    });

    it('refuses a text file named .jpg with a reason a person can act on', async () => {
      const item = await createTestTestimony(educator, { status: TestimonyStatus.InReview });
      const consent = await as(api, educator.token).post(`/testimonies/${item.id}/consents`, consentBody());
      const res = await as(api, educator.token).upload(`/testimonies/${item.id}/consents/${consent.body.id}/evidence`, readFileSync(await photoFixtures.textAsJpeg(dir)), 'notes.jpg');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('EVIDENCE_NOT_MEDIA');
      expect((await as(api, editor.token).get(`/testimonies/${item.id}/consents`)).body[0].hasEvidence).toBe(false);
    });
  });
});
