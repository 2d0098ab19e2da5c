import { INestApplicationContext } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import request from 'supertest';
import { captionedVideoKey } from '../src/modules/captions/caption-storage-keys';
import { JobName, QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { StorageService } from '../src/modules/storage/storage.service';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { installFakeWhisper, SPOKEN_AT, spokenClip } from './support/caption-fixtures';
import { waitFor } from './support/faults';
import { assetRows, ffprobe, listKeys, placeOriginal, testimonyRow } from './support/processing-fixtures';
import { dropQueueKeys, specQueuePrefix } from './support/test-env';
import { anyCommune, closeTestDb, createTestTestimony, signedIn, startTestApp, startTestWorker, TestApp, testDb } from './support/test-app';

type Person = Awaited<ReturnType<typeof signedIn>>;
interface Task {
  kind: string;
  status: string;
  progress: number;
  error: string | null;
  cues: { startMs: number; endMs: number; text: string }[] | null;
  outcome: string | null;
  trackVersion: number | null;
  video: { url: string; trackVersion: number; stale: boolean; byteSize: number } | null;
}

const execFileAsync = promisify(execFile);
const VIDEO = { kind: MediaKind.Video, mimeType: 'video/mp4', extension: 'mp4' };
const KM = [{ startMs: 1000, endMs: 2500, text: 'ខ្ញុំបានទៅធ្វើការនៅថៃ ដោយគ្មានលិខិតឆ្លងដែន' }];

describe('Caption work in the background: timings, transcripts, burn-in and the preview frame', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'migra-caption-tasks-'));
  const workDir = join(scratch, 'work');
  const whisper = installFakeWhisper(scratch);
  // Two attempts and a short backoff, so the failure test settles in seconds rather than a minute.
  const env = {
    MEDIA_WORK_DIR: workDir,
    JOB_ATTEMPTS: '2',
    JOB_BACKOFF_MS: '200',
    SPEECH_ENGINE: 'whisper.cpp',
    WHISPER_CPP_BINARY: whisper.binary,
    WHISPER_CPP_MODEL: whisper.model,
  };
  let api: TestApp;
  let worker: INestApplicationContext;
  let owner: Person;
  let editor: Person;
  let lead: Person;
  let stranger: Person;
  /** One processed 640x360 video, shared by the tests that only read it. */
  let processed: string;

  beforeAll(async () => {
    api = await startTestApp({ env });
    worker = await startTestWorker(env);
    owner = await signedIn(api.url, 'educator');
    stranger = await signedIn(api.url, 'educator', { communeId: (await anyCommune('220101')).id });
    editor = await signedIn(api.url, 'editor');
    lead = await signedIn(api.url, 'lead');
    processed = await processedVideo();
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await dropQueueKeys(specQueuePrefix());
    await closeTestDb();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function processedVideo(): Promise<string> {
    const { testimony } = await placeOriginal(api, owner, { path: spokenClip(scratch, '640x360'), ...VIDEO });
    await waitFor(`testimony ${testimony.id} to be processed`, async () => (await testimonyRow(testimony.id))?.status === TestimonyStatus.InReview, 45_000);
    return testimony.id;
  }

  const call = (who: Person, method: 'get' | 'put' | 'post', path: string) =>
    request(api.url)[method](`/api/testimonies/${path}`).set('Authorization', `Bearer ${who.token}`);
  const ask = (who: Person, id: string, kind: string, language = 'km') => call(who, 'post', `${id}/captions/${language}/${kind}`);
  const tasks = async (id: string, language = 'km'): Promise<Task[]> => (await call(editor, 'get', `${id}/captions/${language}/tasks`)).body;
  const settled = (id: string, kind: string, language = 'km') =>
    waitFor(`the ${kind} task of ${id} to finish`, async () => {
      const task = (await tasks(id, language)).find((t) => t.kind === kind);
      return task && (task.status === 'done' || task.status === 'failed') ? task : undefined;
    }, 60_000);
  const jobsOf = async (queue: QueueName, name: JobName, id: string) => {
    const jobs = await api.app.get(JobQueue).queue(queue).getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
    const taskIds = new Set((await (await testDb()).query(`SELECT id FROM caption_tasks WHERE testimony_id = $1`, [id])).map((r: { id: string }) => r.id));
    return jobs.filter((j) => j.name === name && taskIds.has(j.data.taskId));
  };

  it('proposes empty cues where people speak, once however often the button is pressed', async () => {
    const [first, second] = await Promise.all([ask(owner, processed, 'speech-segments'), ask(owner, processed, 'speech-segments')]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body).toMatchObject({ kind: 'speech-segments', status: expect.stringMatching(/queued|running|done/) });

    const task = await settled(processed, 'speech-segments');
    expect(task).toMatchObject({ status: 'done', progress: 100, error: null });
    expect(task.cues!.map((c) => c.text)).toEqual(['', '']);
    task.cues!.forEach((cue, i) => {
      expect(Math.abs(cue.startMs - SPOKEN_AT[i][0])).toBeLessThanOrEqual(200);
      expect(Math.abs(cue.endMs - SPOKEN_AT[i][1])).toBeLessThanOrEqual(200);
    });
    expect(await jobsOf(QueueName.Captions, JobName.CaptionSpeechSegments, processed)).toHaveLength(1);
    // The proposal is only a proposal: no captions were saved.
    expect((await call(owner, 'get', `${processed}/captions/km`)).status).toBe(404);
    // A remuxed clip's review copy is made by a job of its own; its folder goes too once it is done.
    await waitFor('every job folder to be removed', async () => readdirSync(workDir).length === 0, 60_000);
  });

  it('makes a machine transcript the captions only while no person has touched them', async () => {
    const id = await processedVideo();
    expect((await ask(editor, id, 'transcript', 'th')).status).toBe(202);
    const applied = await settled(id, 'transcript', 'th');
    expect(applied).toMatchObject({ status: 'done', outcome: 'applied' });
    // The fake whisper-cli writes the language it was given with -l into the text.
    expect(applied.cues![0].text).toContain('(th)');
    const machine = (await call(editor, 'get', `${id}/captions/th`)).body;
    expect(machine).toMatchObject({ source: 'machine', version: 1, cues: applied.cues });

    const edited = await call(owner, 'put', `${id}/captions/th`).send({ cues: [{ startMs: 0, endMs: 2000, text: 'ฉันไปทำงานที่ไทย' }], baseVersion: 1 });
    expect(edited.status).toBe(200);
    expect((await ask(editor, id, 'transcript', 'th')).status).toBe(202);
    const kept = await settled(id, 'transcript', 'th');
    expect(kept).toMatchObject({ status: 'done', outcome: 'kept-edits', cues: applied.cues });
    expect((await call(editor, 'get', `${id}/captions/th`)).body).toMatchObject({ source: 'edited', version: 2, cues: edited.body.cues });

    const [job] = await jobsOf(QueueName.Media, JobName.CaptionTranscript, id);
    expect(job.opts.priority).toBeGreaterThan(0); // behind the processing of new uploads
  });

  it('burns the asked-for caption version into an MP4 that keeps the sound, and says when captions changed since', async () => {
    const id = await processedVideo();
    expect((await call(owner, 'put', `${id}/captions/km`).send({ cues: KM })).status).toBe(200);
    const accepted = await ask(owner, id, 'burn-in');
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ kind: 'burn-in', trackVersion: 1 });

    const done = await settled(id, 'burn-in');
    expect(done).toMatchObject({ status: 'done', trackVersion: 1, video: { trackVersion: 1, stale: false } });
    const captioned = await ffprobe(done.video!.url);
    expect(captioned.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(captioned.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 640, height: 360 });
    expect(Object.keys(captioned.format.tags ?? {}).map((k) => k.toLowerCase())).not.toContain('location');

    // White text on the black clip while the cue shows; nothing before it.
    expect(await brightPixels(await frameAt(done.video!.url, 1.8))).toBeGreaterThan(100);
    expect(await brightPixels(await frameAt(done.video!.url, 0.5))).toBe(0);

    // The detail lists it with the other renditions, and asking again for the same version renders nothing new.
    const detail = await call(owner, 'get', id);
    expect(detail.body.renditions).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'captions', variant: 'km', mimeType: 'video/mp4' })]));
    expect((await ask(owner, id, 'burn-in')).body).toMatchObject({ status: 'done', trackVersion: 1 });
    expect(await jobsOf(QueueName.Media, JobName.CaptionBurnIn, id)).toHaveLength(1);

    await call(editor, 'put', `${id}/captions/km`).send({ cues: [{ ...KM[0], text: 'សួស្តី' }] });
    expect((await settled(id, 'burn-in')).video).toMatchObject({ trackVersion: 1, stale: true });

    // Processing the item again keeps the captioned video: its captions are timed to the same original.
    expect((await call(editor, 'post', `${id}/reprocess`)).status).toBe(202);
    await waitFor('the item to be processed again', async () => (await testimonyRow(id))?.processingGeneration === 2 && (await testimonyRow(id))?.status === TestimonyStatus.InReview, 45_000);
    const kept = (await settled(id, 'burn-in')).video!;
    expect(kept).toMatchObject({ trackVersion: 1 });
    expect((await fetch(kept.url)).status).toBe(200);
  });

  it('makes nothing more of an item whose consent is withdrawn, not even a burn-in asked for just before', async () => {
    const id = await processedVideo();
    expect((await call(owner, 'put', `${id}/captions/km`).send({ cues: KM })).status).toBe(200);
    // The burn-in waits in its queue while the withdrawal arrives, as it would behind a long transcode.
    const media = api.app.get(JobQueue).queue(QueueName.Media);
    await media.pause();
    try {
      expect((await ask(owner, id, 'burn-in')).status).toBe(202);
      const withdrawal = await call(editor, 'post', `${id}/withdrawal`).send({ receivedOn: new Date().toISOString().slice(0, 10), receivedVia: 'phone' });
      expect(withdrawal.status).toBe(201);
    } finally {
      await media.resume();
    }
    const [job] = await jobsOf(QueueName.Media, JobName.CaptionBurnIn, id);
    await waitFor('the burn-in job to end', async () => (await job.isCompleted()) || (await job.isFailed()));
    const [task] = await (await testDb()).query(`SELECT status, error_code FROM caption_tasks WHERE testimony_id = $1 AND kind = 'burn-in'`, [id]);
    expect(task).toEqual({ status: 'failed', error_code: 'ITEM_WITHDRAWN' });
    expect((await assetRows(id)).filter((a) => a.role === 'captions')).toEqual([]);
    expect(await listKeys(api.config, captionedVideoKey(id, 'km', 1))).toEqual([]);
  });

  it('draws a preview frame with the saved captions, small enough for a phone', async () => {
    const id = await processedVideo();
    await call(owner, 'put', `${id}/captions/km`).send({ cues: KM });
    const res = await call(lead, 'get', `${id}/captions/km/preview?atMs=1800`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(res.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
    expect(await brightPixels(res.body as Buffer)).toBeGreaterThan(100);

    const silent = await call(lead, 'get', `${id}/captions/km/preview?atMs=500`).buffer(true).parse(binary);
    expect(await brightPixels(silent.body as Buffer)).toBe(0);

    const past = await call(lead, 'get', `${id}/captions/km/preview?atMs=60000`);
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/past the end/);
    expect((await call(lead, 'get', `${id}/captions/en/preview?atMs=0`)).body).toMatchObject({ statusCode: 409, code: 'NO_CAPTIONS_YET' });
    expect((await call(lead, 'get', `${id}/captions/km/preview?atMs=soon`)).status).toBe(400);
  });

  it('refuses what cannot be done with a reason, and keeps others out', async () => {
    const photo = await createTestTestimony(owner, { kind: MediaKind.Photo });
    const photoAsk = await ask(owner, photo.id, 'speech-segments');
    expect(photoAsk.status).toBe(409);
    expect(photoAsk.body).toMatchObject({ code: 'NOT_A_VIDEO', message: expect.stringMatching(/photo/) });

    const unprocessed = await createTestTestimony(owner, { status: TestimonyStatus.Processing });
    const early = await ask(owner, unprocessed.id, 'burn-in');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'VIDEO_NOT_READY', message: expect.stringMatching(/not ready yet/) });

    const nothing = await ask(owner, processed, 'burn-in', 'en');
    expect(nothing.status).toBe(409);
    expect(nothing.body).toMatchObject({ code: 'NO_CAPTIONS_YET', message: expect.stringMatching(/no captions in en/) });

    expect((await ask(lead, processed, 'speech-segments')).status).toBe(403);
    expect((await ask(stranger, processed, 'speech-segments')).status).toBe(404);
    expect((await call(stranger, 'get', `${processed}/captions/km/tasks`)).status).toBe(404);
    expect((await ask(owner, processed, 'speech-segments', 'fr')).status).toBe(400);
  });

  it('fails a task whose video vanished from storage with a reason, instead of leaving it running', async () => {
    const id = await processedVideo();
    const publish = (await assetRows(id)).find((a) => a.role === 'publish')!;
    await api.app.get(StorageService).delete(publish.storageKey);
    expect((await ask(owner, id, 'speech-segments')).status).toBe(202);
    const failed = await settled(id, 'speech-segments');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/failed after several tries/);
    // A remuxed clip's review copy is made by a job of its own; its folder goes too once it is done.
    await waitFor('every job folder to be removed', async () => readdirSync(workDir).length === 0, 60_000);
  });

  it('keeps every version a machine transcript made, so it can be undone like an edit', async () => {
    const id = await processedVideo();
    await ask(editor, id, 'transcript', 'en');
    expect(await settled(id, 'transcript', 'en')).toMatchObject({ outcome: 'applied' });
    const versions: { version: number; source: string; changed_by: string | null }[] = await (await testDb()).query(
      `SELECT v.version, v.source, v.changed_by FROM caption_track_versions v JOIN caption_tracks t ON t.id = v.track_id WHERE t.testimony_id = $1 AND t.language = 'en'`,
      [id],
    );
    expect(versions).toEqual([{ version: 1, source: 'machine', changed_by: null }]);
  });

  /** A frame of `video` at `seconds`, as PNG. Not execFileSync: the S3 server answering ffmpeg runs in this process. */
  async function frameAt(video: string, seconds: number): Promise<string> {
    const out = join(scratch, `frame-${Date.now()}-${seconds}.png`);
    await execFileAsync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-ss', String(seconds), '-i', video, '-frames:v', '1', out]);
    return out;
  }
});

/** How many near-white pixels: caption text on the black test clip. */
async function brightPixels(image: string | Buffer): Promise<number> {
  const { data } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  let bright = 0;
  for (const value of data) if (value > 200) bright++;
  return bright;
}

function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
