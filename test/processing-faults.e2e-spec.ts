import { INestApplicationContext } from '@nestjs/common';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GAVE_UP_REASON } from '../src/modules/processing/process-testimony.handler';
import { JobFailure } from '../src/modules/queues/job-failure.entity';
import { QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { storageKeys } from '../src/modules/storage/storage-keys';
import { StorageService } from '../src/modules/storage/storage.service';
import { MediaKind } from '../src/modules/testimonies/testimony-status';
import { apiEntryPoint, Link, REPO_ROOT, throughLink, waitFor } from './support/faults';
import { assetRows, ffprobe, listKeys, makeClip, placeOriginal, testimonyRow } from './support/processing-fixtures';
import { closeTestDb, signedIn, startTestApp, startTestWorker, TestApp, testDb } from './support/test-app';
import { dropQueueKeys, specQueuePrefix, testEnv } from './support/test-env';

const VIDEO = { kind: MediaKind.Video, mimeType: 'video/mp4', extension: 'mp4' };

describe('Processing through faults', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'migra-processing-faults-'));
  const workDir = join(scratch, 'work');
  // Short locks so that a killed worker's job is taken up again within seconds, not a minute.
  const env = { MEDIA_WORK_DIR: workDir, MEDIA_JOB_LOCK_SECONDS: '3', MEDIA_STALLED_CHECK_SECONDS: '1' };
  let api: TestApp;
  let educator: Awaited<ReturnType<typeof signedIn>>;
  let clip: string;

  beforeAll(async () => {
    api = await startTestApp({ env });
    educator = await signedIn(api.url, 'educator');
    clip = makeClip(scratch);
  });
  afterAll(async () => {
    await api.close();
    await dropQueueKeys(specQueuePrefix());
    await closeTestDb();
    rmSync(scratch, { recursive: true, force: true });
  });

  const mediaQueue = () => api.app.get(JobQueue).queue(QueueName.Media);
  const settled = (id: string, timeoutMs: number) =>
    waitFor(`testimony ${id} to leave processing`, async () => {
      const row = await testimonyRow(id);
      return row && row.status !== 'processing' ? row : undefined;
    }, timeoutMs, 200);
  const failuresOf = async (testimonyId: string) => (await testDb()).getRepository(JobFailure).find({ where: { testimonyId }, order: { failedAt: 'ASC' } });

  it('takes a job up again after its worker is killed mid-transcode, and finishes it once, leaving no temp files', async () => {
    const build = await apiEntryPoint();
    const longClip = makeClip(scratch, { seconds: 8, size: '1280x720' });
    let killed: ChildProcess | undefined;
    let second: INestApplicationContext | undefined;
    try {
      killed = spawn(process.execPath, [join(dirname(build.main), 'worker.js')], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...testEnv(), ...env },
        stdio: 'ignore',
      });
      const { testimony, job } = await placeOriginal(api, educator, { path: longClip, ...VIDEO });
      await waitFor('the transcode to be under way', async () => Number((await mediaQueue().getJob(job.id!))?.progress) > 0, 60_000, 100);
      killed.kill('SIGKILL');
      expect(readdirSync(workDir)).toHaveLength(1);

      second = await startTestWorker(env);
      expect((await settled(testimony.id, 90_000)).status).toBe('in_review');
      // The item reaches review inside the job, which then tidies up (older files, the review copy's job).
      const finished = await waitFor('the job to finish', async () => {
        const done = await mediaQueue().getJob(job.id!);
        return done?.finishedOn ? done : null;
      });
      expect(finished?.returnvalue).toEqual({ testimonyId: testimony.id, outcome: 'done' });
      expect(finished?.finishedOn).toBeDefined();

      const renditions = (await assetRows(testimony.id)).filter((a) => a.role !== 'original');
      expect(new Set(renditions.map((a) => `${a.role}/${a.variant}`)).size).toBe(renditions.length);
      const stored = await listKeys(api.config, storageKeys.testimonyPrefix(testimony.id));
      expect(stored.filter((k) => k.includes('/r1/')).sort()).toEqual(renditions.map((a) => a.storageKey).sort());
      // The remuxed clip's review copy follows in a job of its own; its folder goes too once it is done.
      await waitFor('every job folder to be removed', async () => readdirSync(workDir).length === 0, 60_000);
    } finally {
      killed?.kill('SIGKILL');
      await second?.close();
      build.cleanup();
    }
  }, 180_000);

  it('retries while S3 is unreachable and succeeds once it is back', async () => {
    const link = new Link(testEnv().S3_ENDPOINT, 80);
    await link.start();
    const worker = await startTestWorker({ ...env, S3_ENDPOINT: throughLink(testEnv().S3_ENDPOINT, link) });
    try {
      await link.cut();
      const cutAt = Date.now();
      // Backoff 0.5, 1, 2, 4 s…: attempts keep failing through a 6 s outage, and one comes soon after it.
      const { testimony, job } = await placeOriginal(api, educator, { path: clip, ...VIDEO }, { attempts: 8, backoff: { type: 'exponential', delay: 500 } });
      await waitFor('failed attempts', async () => (await failuresOf(testimony.id)).length >= 2, 30_000);
      expect((await testimonyRow(testimony.id))?.status).toBe('processing');
      await new Promise((r) => setTimeout(r, Math.max(0, 6000 - (Date.now() - cutAt))));
      await link.restore();

      expect((await settled(testimony.id, 60_000)).status).toBe('in_review');
      const failures = await failuresOf(testimony.id);
      expect(failures.every((f) => !f.final)).toBe(true);
      // The item reaches review inside the job; the attempt that succeeded is counted once the job ends.
      const finished = await waitFor('the job to finish', async () => {
        const done = await mediaQueue().getJob(job.id!);
        return done?.finishedOn ? done : null;
      });
      expect(finished.attemptsMade).toBeGreaterThan(failures.length);
      await waitFor('every job folder to be removed', async () => readdirSync(workDir).length === 0, 60_000);
    } finally {
      await worker.close();
      await link.close();
    }
  }, 120_000);

  it('retries a video whose download broke halfway, and never takes the part that arrived for the whole clip', async () => {
    const link = new Link(testEnv().S3_ENDPOINT, 80);
    await link.start();
    const worker = await startTestWorker({ ...env, S3_ENDPOINT: throughLink(testEnv().S3_ENDPOINT, link) });
    try {
      // Index first (faststart), so that the half that arrived would probe as a whole clip if it were kept.
      const longClip = join(scratch, 'faststart-6s.mp4');
      execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-i', makeClip(scratch, { seconds: 6, size: '1280x720', pixelFormat: 'yuv444p' }), '-c', 'copy', '-movflags', '+faststart', longClip]);
      link.proxy.breakOnceAfter(statSync(longClip).size / 2);
      const { testimony } = await placeOriginal(api, educator, { path: longClip, ...VIDEO }, { attempts: 3, backoff: { type: 'fixed', delay: 200 } });

      expect((await settled(testimony.id, 90_000)).status).toBe('in_review');
      const [failure, ...others] = await failuresOf(testimony.id);
      expect(others).toEqual([]);
      expect(failure).toMatchObject({ final: false });
      expect(failure.reason).not.toMatch(/cut off|truncat/i);
      const review = (await assetRows(testimony.id)).find((a) => a.role === 'review');
      const { url } = await api.app.get(StorageService).presignGet(review!.storageKey);
      expect(Number((await ffprobe(url)).format.duration)).toBeCloseTo(6, 0);
      await waitFor('every job folder to be removed', async () => readdirSync(workDir).length === 0, 60_000);
    } finally {
      await worker.close();
      await link.close();
    }
  }, 120_000);

  it('kills an ffmpeg that hangs, retries, and then marks the item failed with a plain reason, leaving nothing running', async () => {
    const pidFile = join(scratch, 'hung-ffmpeg.pid');
    const hungFfmpeg = join(scratch, 'hung-ffmpeg');
    writeFileSync(hungFfmpeg, `#!/bin/sh\necho $$ >> ${pidFile}\nexec sleep 600\n`);
    chmodSync(hungFfmpeg, 0o755);
    const worker = await startTestWorker({ ...env, FFMPEG_PATH: hungFfmpeg, FFMPEG_STALL_SECONDS: '5' });
    try {
      const { testimony, job } = await placeOriginal(api, educator, { path: clip, ...VIDEO }, { attempts: 2, backoff: { type: 'fixed', delay: 200 } });
      const row = await settled(testimony.id, 40_000);
      expect(row.status).toBe('processing_failed');
      expect(row.failureReason).toContain(GAVE_UP_REASON);
      expect(row.failureReason).toMatch(/no progress for 5 s/);

      const failed = await mediaQueue().getJob(job.id!);
      expect(await failed?.getState()).toBe('failed');
      expect(failed?.attemptsMade).toBe(2);
      await waitFor('both failures to be recorded', async () => (await failuresOf(testimony.id)).length === 2);
      expect((await failuresOf(testimony.id)).map((f) => f.final)).toEqual([false, true]);

      const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
      expect(pids).toHaveLength(2);
      for (const pid of pids) expect(isRunning(pid)).toBe(false);
      expect(await mediaQueue().getActiveCount()).toBe(0);
      expect(readdirSync(workDir)).toEqual([]);
    } finally {
      await worker.close();
    }
  }, 90_000);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
  } catch {
    return false;
  }
}
