import { INestApplicationContext } from '@nestjs/common';
import { Worker as BareWorker, UnrecoverableError } from 'bullmq';
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { captionTaskJobId } from '../src/modules/captions/tasks/caption-task.job';
import { isAlive } from '../src/modules/media/process-groups';
import { GAVE_UP_REASON } from '../src/modules/processing/process-testimony.handler';
import { processTestimonyJobId, publishRenditionJobId } from '../src/modules/processing/process-testimony.job';
import { QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { JobReconciler } from '../src/modules/queues/job-reconciler';
import { redisConnectionOptions } from '../src/modules/queues/redis-connection';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { apiEntryPoint, REPO_ROOT, waitFor } from './support/faults';
import { createIsolatedDatabase, IsolatedDatabase } from './support/isolated-database';
import { assetRows, handedOver, makeClip, placeOriginal, publishGateFfmpeg, testimonyRow } from './support/processing-fixtures';
import { closeTestDb, signedIn, startTestApp, startTestWorker, TestApp, testDb } from './support/test-app';
import { dropQueueKeys, specQueuePrefix, TEST_REDIS_URL, testEnv } from './support/test-env';

const VIDEO = { kind: MediaKind.Video, mimeType: 'video/mp4', extension: 'mp4' };

/**
 * Redis losing its data, and workers killed mid-transcode. This spec has a database of its own: the
 * reconciler acts on every row that says work is under way, and the shared database holds other specs'.
 */
describe('Recovering work the queue lost', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'migra-reconcile-'));
  const workDir = join(scratch, 'work');
  const ffmpegLog = join(scratch, 'ffmpeg.log');
  /** ffmpeg as usual, each run logged as "<pid> <arguments>": the arguments name the job's folder, so runs can be counted per job. */
  const countingFfmpeg = ffmpegWrapper(scratch, 'counting-ffmpeg', ffmpegLog, '');
  /** The same, reading its input at real-time speed: a transcode that lasts as long as the clip, whatever the machine's load. */
  const slowFfmpeg = ffmpegWrapper(scratch, 'slow-ffmpeg', ffmpegLog, '-re');
  const env = {
    MEDIA_WORK_DIR: workDir,
    FFMPEG_PATH: countingFfmpeg,
    JOB_RECONCILE_INTERVAL_SECONDS: '600',
    // A killed worker's job is taken up again within seconds.
    MEDIA_JOB_LOCK_SECONDS: '3',
    MEDIA_STALLED_CHECK_SECONDS: '1',
  };
  let database: IsolatedDatabase;
  let api: TestApp;
  let build: Awaited<ReturnType<typeof apiEntryPoint>>;
  let educator: Awaited<ReturnType<typeof signedIn>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let clip: string;
  const children: ChildProcess[] = [];
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    // Every helper (testDb, signedIn, the worker's config) reads the database name from here; Jest gives each spec file its own process.env.
    process.env.MIGRA_TEST_DATABASE = new URL(database.url).pathname.slice(1);
    build = await apiEntryPoint();
    api = await startTestApp({ env });
    educator = await signedIn(api.url, 'educator');
    admin = await signedIn(api.url, 'admin');
    clip = makeClip(scratch);
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const worker of workers) await worker.close();
    await api.close();
    await dropQueueKeys(specQueuePrefix());
    await closeTestDb();
    await database.drop();
    build.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const queue = (name: QueueName) => api.app.get(JobQueue).queue(name);
  const worker = async (overrides: Record<string, string> = {}) => {
    const started = await startTestWorker({ ...env, ...overrides });
    workers.push(started);
    return started;
  };
  const stop = async (started: INestApplicationContext) => {
    await started.close();
    workers.splice(workers.indexOf(started), 1);
  };
  /** A worker as its own process, so that it can be SIGKILLed; resolves once it takes jobs. */
  const workerProcess = async (overrides: Record<string, string>) => {
    const child = spawn(process.execPath, [join(dirname(build.main), 'worker.js')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...testEnv(), ...env, ...overrides },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    await waitFor('the worker process to start', async () => output.includes('worker started'), 30_000);
    return { child, exited };
  };
  const status = (id: string, expected: TestimonyStatus) =>
    waitFor(`testimony ${id} to be ${expected}`, async () => (await testimonyRow(id))?.status === expected, 90_000, 200);
  /** The logged ffmpeg runs of one job, and the job folders they ran in: more than one folder means the job ran more than once. */
  const ffmpegRuns = (jobId: string) => {
    const lines = existsSync(ffmpegLog) ? readFileSync(ffmpegLog, 'utf8').split('\n') : [];
    const runs = lines.filter((line) => line.includes(`/migra-${jobId}-`));
    const folders = new Set(runs.map((line) => line.match(new RegExp(`migra-${jobId}-[A-Za-z0-9]+`))![0]));
    return { runs: runs.length, folders: folders.size, pids: runs.map((line) => Number(line.split(' ')[0])) };
  };

  it('finishes, once each, work lost while waiting, while running, while a caption task was queued, and between a hand-over and its enqueue', async () => {
    // A processed video: the caption task's input, and how many ffmpeg runs one processing takes.
    const first = await worker();
    const { testimony: control } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    await status(control.id, TestimonyStatus.InReview);
    const perItem = ffmpegRuns(processTestimonyJobId(control.id, 1));
    expect(perItem.folders).toBe(1);
    await stop(first);

    // Redis loses its data while one item is being transcoded and another waits behind it.
    const running = await workerProcess({ FFMPEG_PATH: slowFfmpeg });
    const { testimony: active, job: activeJob } = await placeOriginal(api, educator, { path: makeClip(scratch, { seconds: 6 }), ...VIDEO });
    await waitFor('the transcode to be under way', async () => Number((await queue(QueueName.Media).getJob(activeJob.id!))?.progress) > 0, 60_000, 100);
    const { testimony: waiting } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    await dropQueueKeys(specQueuePrefix());
    // Restarted the usual way: the worker finishes the transcode it has in hand, then stops.
    running.child.kill('SIGTERM');
    await running.exited;

    // With no worker running: an upload handed over but not queued, and a caption task whose job Redis loses too.
    const notQueued = await handedOver(api, educator, { path: clip, ...VIDEO });
    const asked = await request(api.url).post(`/api/testimonies/${control.id}/captions/km/speech-segments`).set('Authorization', `Bearer ${educator.token}`);
    expect(asked.status).toBe(202);
    const [task] = (await (await testDb()).query(`SELECT id, request FROM caption_tasks WHERE testimony_id = $1`, [control.id])) as { id: string; request: number }[];
    const taskJobId = captionTaskJobId('speech-segments', task.id, task.request);
    expect(await queue(QueueName.Captions).getJob(taskJobId)).toBeDefined();
    await dropQueueKeys(specQueuePrefix());

    const restartedAt = Date.now();
    const restarted = await worker();
    for (const item of [active, waiting, notQueued]) await status(item.id, TestimonyStatus.InReview);
    await waitFor('the caption task to finish', async () => {
      const [row] = (await (await testDb()).query(`SELECT status FROM caption_tasks WHERE id = $1`, [task.id])) as { status: string }[];
      return row.status === 'done';
    }, 60_000);

    for (const item of [active, waiting, notQueued]) {
      expect(ffmpegRuns(processTestimonyJobId(item.id, 1))).toMatchObject({ runs: perItem.runs, folders: 1 });
    }
    expect(ffmpegRuns(taskJobId)).toMatchObject({ folders: 1 });

    const recoveries = await request(api.url).get('/api/admin/recoveries').set('Authorization', `Bearer ${admin.token}`);
    expect(recoveries.status).toBe(200);
    expect(recoveries.body).toMatchObject({ requeued: 3, settled: 0, total: 3 });
    expect(recoveries.body.items.map((r: { jobId: string }) => r.jobId).sort()).toEqual(
      [processTestimonyJobId(waiting.id, 1), processTestimonyJobId(notQueued.id, 1), taskJobId].sort(),
    );
    const recoveredAt = Math.max(...recoveries.body.items.map((r: { recoveredAt: string }) => Date.parse(r.recoveredAt)));
    // The figure in the README's reliability section.
    console.log(`Reconcile: ${recoveries.body.requeued} jobs recovered ${recoveredAt - restartedAt} ms after the worker was started`);
    await stop(restarted);
  }, 300_000);

  const recoveryTotals = async (): Promise<{ requeued: number; settled: number }> =>
    (await request(api.url).get('/api/admin/recoveries').set('Authorization', `Bearer ${admin.token}`)).body;

  it('never adds back work whose item was deleted or withdrawn after the queue lost it', async () => {
    const { testimony: deleted } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    const { testimony: withdrawn } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    const { testimony: kept } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    await dropQueueKeys(specQueuePrefix());
    const db = await testDb();
    await db.getRepository(Testimony).delete(deleted.id);
    await db.getRepository(Testimony).update(withdrawn.id, { status: TestimonyStatus.Withdrawn });

    const before = await recoveryTotals();
    const started = await worker();
    await started.get(JobReconciler).reconcile();
    // Whichever run did it (the start-up one or this), exactly the kept item's job was added back.
    expect(await recoveryTotals()).toMatchObject({ requeued: before.requeued + 1, settled: before.settled });
    await status(kept.id, TestimonyStatus.InReview);
    expect(await queue(QueueName.Media).getJob(processTestimonyJobId(deleted.id, 1))).toBeUndefined();
    expect(await queue(QueueName.Media).getJob(processTestimonyJobId(withdrawn.id, 1))).toBeUndefined();
    expect((await testimonyRow(withdrawn.id))?.status).toBe(TestimonyStatus.Withdrawn);
    await stop(started);
  }, 120_000);

  it('adds back the lost publish job of a transcoded video that is already in review', async () => {
    const gate = publishGateFfmpeg(scratch);
    gate.held(true);
    const running = await workerProcess({ FFMPEG_PATH: gate.path });
    const { testimony } = await placeOriginal(api, educator, { path: makeClip(scratch, { pixelFormat: 'yuv444p' }), ...VIDEO });
    await status(testimony.id, TestimonyStatus.InReview);
    await waitFor('the publish job to be under way', async () => (await queue(QueueName.Media).getJob(publishRenditionJobId(testimony.id, 1)))?.processedOn);
    // Redis loses the job, and the worker that had it dies.
    await dropQueueKeys(specQueuePrefix());
    running.child.kill('SIGKILL');
    await running.exited;
    gate.held(false);
    expect((await assetRows(testimony.id)).map((a) => a.role)).not.toContain('publish');

    const before = await recoveryTotals();
    const started = await worker();
    await started.get(JobReconciler).reconcile();
    expect(await recoveryTotals()).toMatchObject({ requeued: before.requeued + 1, settled: before.settled });
    const recoveries = await request(api.url).get('/api/admin/recoveries').set('Authorization', `Bearer ${admin.token}`);
    expect(recoveries.body.items.map((r: { jobId: string }) => r.jobId)).toContain(publishRenditionJobId(testimony.id, 1));
    await waitFor('the publish rendition', async () => (await assetRows(testimony.id)).some((a) => a.role === 'publish'), 60_000);
    expect((await testimonyRow(testimony.id))?.status).toBe(TestimonyStatus.InReview);
    await stop(started);
  }, 120_000);

  it('settles an item whose job failed for good while nobody could record it', async () => {
    const { testimony } = await placeOriginal(api, educator, { path: clip, ...VIDEO });
    // A worker that dies between failing the job and marking the item: here, one that never marks it.
    const bare = new BareWorker(QueueName.Media, async () => {
      throw new UnrecoverableError('ffmpeg vanished');
    }, { connection: redisConnectionOptions(TEST_REDIS_URL, 'worker'), prefix: specQueuePrefix() });
    try {
      await waitFor('the job to fail', async () => (await queue(QueueName.Media).getJob(processTestimonyJobId(testimony.id, 1)))?.isFailed());
    } finally {
      await bare.close();
    }
    expect((await testimonyRow(testimony.id))?.status).toBe(TestimonyStatus.Processing);

    const before = await recoveryTotals();
    const started = await worker();
    await started.get(JobReconciler).reconcile();
    expect(await recoveryTotals()).toMatchObject({ requeued: before.requeued, settled: before.settled + 1 });
    const row = await testimonyRow(testimony.id);
    expect(row?.status).toBe(TestimonyStatus.ProcessingFailed);
    expect(row?.failureReason).toContain(GAVE_UP_REASON);
    expect(row?.failureReason).toContain('ffmpeg vanished');
    await stop(started);
  }, 60_000);

  it('ends the ffmpeg of a worker killed mid-transcode when a worker starts again', async () => {
    const killed = await workerProcess({ FFMPEG_PATH: slowFfmpeg });
    const { testimony, job } = await placeOriginal(api, educator, { path: makeClip(scratch, { seconds: 20, size: '320x240' }), ...VIDEO });
    await waitFor('the transcode to be under way', async () => Number((await queue(QueueName.Media).getJob(job.id!))?.progress) > 0, 60_000, 100);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const orphans = ffmpegRuns(job.id!).pids;
    expect(orphans.filter((pid) => isAlive(String(pid)))).not.toHaveLength(0);

    await worker();
    await waitFor('the orphaned ffmpeg to be ended', async () => orphans.every((pid) => !isAlive(String(pid))), 20_000, 50);
    await status(testimony.id, TestimonyStatus.InReview);
    expect(ffmpegRuns(job.id!).folders).toBe(2);
  }, 120_000);
});

function ffmpegWrapper(dir: string, name: string, log: string, extraArgs: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho "$$ $*" >> '${log}'\nexec ffmpeg ${extraArgs} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}
