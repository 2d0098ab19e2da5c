import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { apiEntryPoint, REPO_ROOT, waitFor } from './support/faults';
import { closeTestDb, signedIn, startTestApp, TestApp } from './support/test-app';
import { testEnv } from './support/test-env';

describe('Worker shutdown', () => {
  let api: TestApp;
  let build: Awaited<ReturnType<typeof apiEntryPoint>>;
  const scratch = mkdtempSync(join(tmpdir(), 'migra-shutdown-'));

  beforeAll(async () => {
    build = await apiEntryPoint();
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
    build.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('finishes the job it is running when told to stop (SIGTERM), then leaves the queue', async () => {
    // An ffmpeg that takes 3 s to answer makes the check job slow enough to be caught mid-run.
    const slowFfmpeg = join(scratch, 'slow-ffmpeg');
    writeFileSync(slowFfmpeg, '#!/bin/sh\nsleep 3\nexec ffmpeg "$@"\n');
    chmodSync(slowFfmpeg, 0o755);
    const worker = spawn(process.execPath, [join(dirname(build.main), 'worker.js')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...testEnv(), FFMPEG_PATH: slowFfmpeg },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (d) => (output += d));
    worker.stderr.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
      worker.once('close', (code, signal) => done({ code, signal, at: Date.now() })),
    );

    try {
      await waitFor('the worker to start', async () => output.includes('worker started'), 30_000);
      const admin = await signedIn(api.url, 'admin');
      const queue = api.app.get(JobQueue).queue(QueueName.System);

      const answer = request(api.url).post('/api/admin/worker-check').set('Authorization', `Bearer ${admin.token}`).then((res) => ({ res, at: Date.now() }));
      await waitFor('the check to be running', async () => (await queue.getActiveCount()) === 1);
      worker.kill('SIGTERM');

      const { res, at: answeredAt } = await answer;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, pid: worker.pid });
      const exit = await exited;
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(exit.at).toBeGreaterThanOrEqual(answeredAt - 1000);
      expect(await queue.getWorkersCount()).toBe(0);
      expect(output).not.toMatch(/stalled|Error/);
    } finally {
      worker.kill('SIGKILL');
    }
  });
});
