import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { GAVE_UP_REASON } from '../src/modules/processing/process-testimony.handler';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { JobFailure } from '../src/modules/queues/job-failure.entity';
import { QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { MediaKind } from '../src/modules/testimonies/testimony-status';
import { waitFor } from './support/faults';
import { publishRenditionJobId, reviewRenditionJobId } from '../src/modules/processing/process-testimony.job';
import { Decision } from '../src/modules/review/decision.entity';
import { as, consentBody } from './support/review-helpers';
import {
  assetRows,
  ffprobe,
  listKeys,
  makeClip,
  makePhoto,
  placeOriginal,
  publishGateFfmpeg,
  testimonyRow,
} from './support/processing-fixtures';
import { dropQueueKeys, specQueuePrefix } from './support/test-env';
import { closeTestDb, signedIn, startTestApp, startTestWorker, TestApp, testDb } from './support/test-app';

const VIDEO = { kind: MediaKind.Video, mimeType: 'video/mp4', extension: 'mp4' };
const PHOTO = { kind: MediaKind.Photo, mimeType: 'image/jpeg', extension: 'jpg' };

describe('Processing a testimony, end to end', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'migra-processing-'));
  const workDir = join(scratch, 'work');
  const publishGate = publishGateFfmpeg(scratch);
  const env = { MEDIA_WORK_DIR: workDir, FFMPEG_PATH: publishGate.path };
  let api: TestApp;
  let worker: INestApplicationContext;
  let educator: Awaited<ReturnType<typeof signedIn>>;
  let editor: Awaited<ReturnType<typeof signedIn>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let clip: string;
  let transcodedClip: string;

  beforeAll(async () => {
    api = await startTestApp({ env });
    worker = await startTestWorker(env);
    educator = await signedIn(api.url, 'educator');
    editor = await signedIn(api.url, 'editor');
    admin = await signedIn(api.url, 'admin');
    clip = makeClip(scratch);
    transcodedClip = makeClip(scratch, { pixelFormat: 'yuv444p' });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await dropQueueKeys(specQueuePrefix());
    await closeTestDb();
    rmSync(scratch, { recursive: true, force: true });
  });

  const mediaQueue = () => api.app.get(JobQueue).queue(QueueName.Media);
  const detail = (id: string, token = educator.token) => request(api.url).get(`/api/testimonies/${id}`).set('Authorization', `Bearer ${token}`);
  const settled = (id: string, timeoutMs = 45_000) =>
    waitFor(`testimony ${id} to leave processing`, async () => {
      const row = await testimonyRow(id);
      return row && row.status !== 'processing' ? row : undefined;
    }, timeoutMs);
  /** A transcoded video in review whose publish job has started and is held at the gate. */
  const inReviewWithPublishHeld = async () => {
    publishGate.held(true);
    const { testimony } = await placeOriginal(api, educator, { path: transcodedClip, ...VIDEO });
    expect((await settled(testimony.id)).status).toBe('in_review');
    await waitFor('the publish job to be under way', async () => (await mediaQueue().getJob(publishRenditionJobId(testimony.id, 1)))?.processedOn);
    return testimony;
  };
  const finishedPublishJob = (id: string, generation: number) =>
    waitFor(`the generation ${generation} publish job to finish`, async () => {
      const job = await mediaQueue().getJob(publishRenditionJobId(id, generation));
      return job?.finishedOn ? job : undefined;
    }, 60_000);

  it('turns a video into publish, review, poster and thumbnails, with working links and no location tag', async () => {
    const { testimony, job } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    expect((await settled(testimony.id)).status).toBe('in_review');
    // The clip was remuxed: reviewers could watch its publish rendition at once, and the lighter review
    // copy follows from a job of its own.
    const atReview = (await detail(testimony.id)).body.renditions.map((r: { role: string }) => r.role);
    expect(atReview).toEqual(expect.arrayContaining(['publish', 'poster', 'thumbnail']));
    await waitFor('the review copy', async () => (await assetRows(testimony.id)).some((a) => a.role === 'review'));
    await waitFor('the review job to finish', async () => (await mediaQueue().getJob(reviewRenditionJobId(testimony.id, 1)))?.finishedOn);

    const res = await detail(testimony.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'in_review', progress: 100, failureReason: null, placeholder: expect.any(String) });
    const renditions = res.body.renditions as { role: string; variant: string; url: string; mimeType: string; urlExpiresAt: string }[];
    expect(renditions.map((r) => r.role)).toEqual(expect.arrayContaining(['publish', 'review', 'poster', 'thumbnail']));
    expect(renditions.map((r) => r.role)).not.toContain('original');
    expect(JSON.stringify(res.body)).not.toContain((await assetRows(testimony.id)).find((a) => a.role === 'original')!.storageKey);
    for (const r of renditions) {
      const fetched = await fetch(r.url);
      expect({ role: r.role, variant: r.variant, status: fetched.status }).toEqual({ role: r.role, variant: r.variant, status: 200 });
      expect(Date.parse(r.urlExpiresAt)).toBeGreaterThan(Date.now());
    }
    const publish = await ffprobe(renditions.find((r) => r.role === 'publish')!.url);
    expect(publish.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(Object.keys(publish.format.tags ?? {}).map((k) => k.toLowerCase())).not.toContain('location');
    expect((await ffprobe(clip)).format.tags).toHaveProperty('location');

    const original = (await assetRows(testimony.id)).find((a) => a.role === 'original')!;
    expect(original).toMatchObject({ width: 640, height: 360 });
    expect(original.durationMs).toBeGreaterThan(1500);
    const finished = await waitFor('the job to finish', async () => {
      const done = await mediaQueue().getJob(job.id!);
      return done?.finishedOn ? done : null;
    });
    expect(finished).toMatchObject({ progress: 100, returnvalue: { testimonyId: testimony.id, outcome: 'done' }, attemptsMade: 1 });
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('sends a clip that must be transcoded to review with its light review copy, and approves it only once its publish rendition is made', async () => {
    publishGate.held(true);
    try {
      const { testimony, job } = await placeOriginal(api, educator, { path: transcodedClip, ...VIDEO });
      expect((await settled(testimony.id)).status).toBe('in_review');
      await waitFor('the process job to finish', async () => (await mediaQueue().getJob(job.id!))?.finishedOn);

      // In review while the publish rendition is still being made: reviewers watch the light copy.
      const atReview = (await detail(testimony.id)).body as { progress: number; renditions: { role: string; url: string }[] };
      expect(atReview.progress).toBe(100);
      expect(atReview.renditions.map((r) => r.role)).toEqual(expect.arrayContaining(['review', 'poster', 'thumbnail']));
      expect(atReview.renditions.map((r) => r.role)).not.toContain('publish');
      const reviewUrl = atReview.renditions.find((r) => r.role === 'review')!.url;
      expect((await fetch(reviewUrl)).status).toBe(200);
      const review = await ffprobe(reviewUrl);
      expect(review.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(Object.keys(review.format.tags ?? {}).map((k) => k.toLowerCase())).not.toContain('location');

      // Approval pins what the Page receives: it waits for that file, and changes nothing meanwhile.
      expect((await as(api, educator.token).post(`/testimonies/${testimony.id}/consents`, consentBody())).status).toBe(201);
      const early = await as(api, editor.token).post(`/testimonies/${testimony.id}/approve`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('PUBLISH_RENDITION_NOT_READY');
      expect((await testimonyRow(testimony.id))?.status).toBe('in_review');
      expect(await (await testDb()).getRepository(Decision).findBy({ testimonyId: testimony.id })).toEqual([]);

      publishGate.held(false);
      await finishedPublishJob(testimony.id, 1);
      const ready = (await detail(testimony.id)).body as { status: string; renditions: { role: string; url: string }[] };
      expect(ready.status).toBe('in_review');
      const publishUrl = ready.renditions.find((r) => r.role === 'publish')!.url;
      const publish = await ffprobe(publishUrl);
      expect(publish.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(Object.keys(publish.format.tags ?? {}).map((k) => k.toLowerCase())).not.toContain('location');
      expect(readdirSync(workDir)).toEqual([]);

      const approved = await as(api, editor.token).post(`/testimonies/${testimony.id}/approve`);
      expect(approved.status).toBe(201);
      const [decision] = await (await testDb()).getRepository(Decision).findBy({ testimonyId: testimony.id });
      const publishRow = (await assetRows(testimony.id)).find((a) => a.role === 'publish')!;
      expect(decision.pinned?.renditions).toContainEqual(expect.objectContaining({ role: 'publish', assetId: publishRow.id, storageKey: publishRow.storageKey }));
    } finally {
      publishGate.held(false);
    }
  });

  it('fails an item in review whose publish rendition cannot be made, with its code, and keeps it for another try', async () => {
    publishGate.failing(true);
    try {
      const { testimony } = await placeOriginal(api, educator, { path: transcodedClip, ...VIDEO });
      const row = await waitFor('the item to fail', async () => {
        const current = await testimonyRow(testimony.id);
        return current?.status === 'processing_failed' ? current : undefined;
      }, 60_000);
      expect(row).toMatchObject({ failureCode: 'JOB_GAVE_UP', processingGeneration: 1 });
      expect(row.failureReason).toContain(GAVE_UP_REASON);
      expect(row.failureReason).toContain('publish encode failed (test)');
      const res = await detail(testimony.id, editor.token);
      expect(res.body).toMatchObject({ status: 'processing_failed', failureCode: 'JOB_GAVE_UP' });
      const audit = await (await testDb()).getRepository(AuditEvent).find({ where: { targetId: testimony.id }, order: { createdAt: 'ASC' } });
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['testimony.processed', 'testimony.publish_rendition_failed']));
      expect(audit.find((a) => a.action === 'testimony.publish_rendition_failed')?.details).toMatchObject({ code: 'JOB_GAVE_UP', generation: 1 });
      const failures = await (await testDb()).getRepository(JobFailure).findBy({ jobId: publishRenditionJobId(testimony.id, 1) });
      expect(failures.some((f) => f.final)).toBe(true);

      // Not lost: an editor asks for it again, as for any failed processing, and this time it is made.
      publishGate.failing(false);
      const again = await request(api.url).post(`/api/testimonies/${testimony.id}/reprocess`).set('Authorization', `Bearer ${editor.token}`);
      expect(again.status).toBe(202);
      await finishedPublishJob(testimony.id, 2);
      expect(await testimonyRow(testimony.id)).toMatchObject({ status: 'in_review', processingGeneration: 2, failureCode: null });
      expect((await assetRows(testimony.id)).map((a) => a.role)).toContain('publish');
    } finally {
      publishGate.failing(false);
    }
  }, 90_000);

  it('leaves the publish job of a superseded generation without effect when the item is processed again meanwhile', async () => {
    try {
      const testimony = await inReviewWithPublishHeld();
      const again = await request(api.url).post(`/api/testimonies/${testimony.id}/reprocess`).set('Authorization', `Bearer ${editor.token}`);
      expect(again.status).toBe(202);
      publishGate.held(false);

      expect((await finishedPublishJob(testimony.id, 1)).returnvalue).toEqual({ outcome: 'stale' });
      await finishedPublishJob(testimony.id, 2);
      expect(await testimonyRow(testimony.id)).toMatchObject({ status: 'in_review', processingGeneration: 2 });
      const publish = (await assetRows(testimony.id)).filter((a) => a.role === 'publish');
      expect(publish).toHaveLength(1);
      expect(publish[0].storageKey.startsWith(storageKeys.renditionPrefix(testimony.id, 2))).toBe(true);
      await waitFor('generation 1 files to be removed', async () => (await listKeys(api.config, storageKeys.renditionPrefix(testimony.id, 1))).length === 0);
    } finally {
      publishGate.held(false);
    }
  }, 90_000);

  it('leaves the publish job without effect when the item is withdrawn while it runs, and removes what it made', async () => {
    try {
      const testimony = await inReviewWithPublishHeld();
      const withdrawal = { receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone', note: 'She asked for it to be taken down.' };
      expect((await as(api, editor.token).post(`/testimonies/${testimony.id}/withdrawal`, withdrawal)).status).toBe(201);
      publishGate.held(false);

      expect((await finishedPublishJob(testimony.id, 1)).returnvalue).toEqual({ outcome: 'stale' });
      expect((await testimonyRow(testimony.id))?.status).toBe('withdrawn');
      expect((await assetRows(testimony.id)).map((a) => a.role)).not.toContain('publish');
      expect(await listKeys(api.config, storageKeys.rendition(testimony.id, 1, 'publish', '', 'mp4'))).toEqual([]);
    } finally {
      publishGate.held(false);
    }
  }, 90_000);

  it('turns a photo into publish, preview and thumbnails, and lists it with a thumbnail link', async () => {
    const { testimony } = await placeOriginal(api, educator, { path: makePhoto(scratch), ...PHOTO });
    expect((await settled(testimony.id)).status).toBe('in_review');

    const res = await detail(testimony.id);
    expect(res.body).toMatchObject({ status: 'in_review', progress: 100, placeholder: expect.any(String) });
    const roles = (res.body.renditions as { role: string }[]).map((r) => r.role);
    expect(roles).toEqual(expect.arrayContaining(['publish', 'preview', 'thumbnail']));
    expect(roles).not.toContain('original');
    expect((await assetRows(testimony.id)).find((a) => a.role === 'original')).toMatchObject({ width: 1200, height: 800 });

    const list = await request(api.url).get('/api/testimonies?kind=photo&pageSize=100').set('Authorization', `Bearer ${educator.token}`);
    const summary = (list.body.items as { id: string; thumbnailUrl: string | null; placeholder: string | null }[]).find((i) => i.id === testimony.id)!;
    expect(summary.placeholder).toEqual(expect.any(String));
    const thumbnail = await fetch(summary.thumbnailUrl!);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
  });

  it('fails a file that is not a video at once, with a reason the educator can act on, and never retries it', async () => {
    const fake = join(scratch, 'notes.mp4');
    writeFileSync(fake, 'These are my notes, not a video.\n'.repeat(50));
    const { testimony, job } = await placeOriginal(api, educator, { path: fake, ...VIDEO }, { attempts: 5 });
    const row = await settled(testimony.id);
    expect(row.status).toBe('processing_failed');
    expect(row.failureReason).toMatch(/not a video/i);
    expect(row.failureReason).not.toContain(GAVE_UP_REASON);

    const res = await detail(testimony.id);
    expect(res.body).toMatchObject({ status: 'processing_failed', failureReason: row.failureReason, renditions: [] });
    const failed = await waitFor('the job to fail', async () => {
      const current = await mediaQueue().getJob(job.id!);
      return (await current?.getState()) === 'failed' ? current : undefined;
    });
    expect(failed.attemptsMade).toBe(1);
    const failures = await waitFor('the failure to be recorded', async () => {
      const rows = await (await testDb()).getRepository(JobFailure).findBy({ testimonyId: testimony.id });
      return rows.length > 0 ? rows : undefined;
    });
    expect(failures).toEqual([expect.objectContaining({ final: true, attemptsMade: 1, jobId: job.id })]);
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('re-processes under a new generation, replacing the renditions and removing the old files', async () => {
    const { testimony } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    await settled(testimony.id);
    // The remuxed clip's review copy comes from a later job: compared before it is done, a file it has
    // stored could be counted without the row it is about to commit.
    const reviewJobDone = (generation: number) =>
      waitFor(`the generation ${generation} review job to finish`, async () => (await mediaQueue().getJob(reviewRenditionJobId(testimony.id, generation)))?.finishedOn);
    await reviewJobDone(1);
    const before = await assetRows(testimony.id);
    const oldKeys = await listKeys(api.config, storageKeys.renditionPrefix(testimony.id, 1));
    expect(oldKeys.length).toBe(before.filter((a) => a.role !== 'original').length);

    const forbidden = await request(api.url).post(`/api/testimonies/${testimony.id}/reprocess`).set('Authorization', `Bearer ${educator.token}`);
    expect(forbidden.status).toBe(403);
    const res = await request(api.url).post(`/api/testimonies/${testimony.id}/reprocess`).set('Authorization', `Bearer ${editor.token}`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: testimony.id, status: 'processing', progress: 0 });

    const row = await settled(testimony.id);
    expect(row).toMatchObject({ status: 'in_review', processingGeneration: 2, progress: 100 });
    await reviewJobDone(2);
    const after = await assetRows(testimony.id);
    expect(after.map((a) => `${a.role}/${a.variant}`)).toEqual(before.map((a) => `${a.role}/${a.variant}`));
    for (const a of after.filter((x) => x.role !== 'original')) expect(a.storageKey.startsWith(storageKeys.renditionPrefix(testimony.id, 2))).toBe(true);
    // The old generation is removed just after the new one is committed (and shown), not before.
    await waitFor('generation 1 files to be removed', async () => (await listKeys(api.config, storageKeys.renditionPrefix(testimony.id, 1))).length === 0);
    expect(await listKeys(api.config, storageKeys.renditionPrefix(testimony.id, 2))).toHaveLength(oldKeys.length);

    const audit = await (await testDb()).getRepository(AuditEvent).findBy({ targetId: testimony.id, action: 'testimony.reprocess_requested' });
    expect(audit).toHaveLength(1);
  });

  it('deletes every stored file of an item, then its rows, and audits it', async () => {
    const { testimony } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    await settled(testimony.id);
    // Every file the item will have: the remuxed clip's review copy comes from a later job, and one still
    // uploading at the delete lands after it and is removed by that job (RenditionStore.addLate).
    await waitFor('the review copy', async () => (await assetRows(testimony.id)).some((a) => a.role === 'review'));
    const prefix = storageKeys.testimonyPrefix(testimony.id);
    expect((await listKeys(api.config, prefix)).length).toBeGreaterThan(3);

    const res = await request(api.url).delete(`/api/testimonies/${testimony.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).toBe(204);
    expect(await listKeys(api.config, prefix)).toEqual([]);
    expect(await testimonyRow(testimony.id)).toBeNull();
    expect(await assetRows(testimony.id)).toEqual([]);
    expect((await detail(testimony.id, admin.token)).status).toBe(404);
    const audit = await (await testDb()).getRepository(AuditEvent).findBy({ targetId: testimony.id, action: 'testimony.deleted' });
    expect(audit).toEqual([expect.objectContaining({ actorId: admin.id })]);
  });
});
