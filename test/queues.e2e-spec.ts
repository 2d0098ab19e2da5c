import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { JobName, QueueName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { waitFor } from './support/faults';
import { closeTestDb, signedIn, startTestApp, startTestWorker, TestApp } from './support/test-app';

describe('Jobs through the real queue', () => {
  let api: TestApp;
  let admin: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await signedIn(api.url, 'admin');
  });
  afterAll(async () => {
    await api.close();
    await closeTestDb();
  });

  it('tells the admin plainly when no worker is running', async () => {
    const started = Date.now();
    const res = await request(api.url).post('/api/admin/worker-check').set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('WORKER_UNAVAILABLE');
    expect(res.body.message).toMatch(/npm run start:worker/);
    expect(Date.now() - started).toBeLessThan(25_000);
    // The unanswered check is withdrawn, so a worker starting later does not run stale work.
    expect(await api.app.get(JobQueue).queue(QueueName.System).getWaitingCount()).toBe(0);
  });

  describe('with a worker', () => {
    let worker: INestApplicationContext;
    beforeAll(async () => {
      worker = await startTestWorker();
    });
    afterAll(() => worker.close());

    it('runs a check job end to end: API enqueues, worker runs it against the real services, API returns the answer', async () => {
      const res = await request(api.url).post('/api/admin/worker-check').set('Authorization', `Bearer ${admin.token}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, pid: process.pid });
      expect(res.body.checks.database).toMatchObject({ ok: true });
      expect(res.body.checks.storage).toMatchObject({ ok: true });
      expect(res.body.checks.ffmpeg.detail).toMatch(/^ffmpeg version/);
    });

    it('records a job that can never succeed as a final failure, without retrying it, where admins can see it', async () => {
      const testimonyId = randomUUID();
      const queue = api.app.get(JobQueue).queue(QueueName.System);
      const job = await queue.add('job-from-a-newer-release', { testimonyId }, { attempts: 5 });

      const failure = await waitFor('the failure to be recorded', async () => {
        const res = await request(api.url).get('/api/admin/job-failures?pageSize=100').set('Authorization', `Bearer ${admin.token}`);
        return (res.body.items as { jobId: string }[]).find((f) => f.jobId === job.id);
      });
      expect(failure).toMatchObject({
        queue: QueueName.System,
        jobName: 'job-from-a-newer-release',
        testimonyId,
        attemptsMade: 1,
        final: true,
        reason: expect.stringMatching(/No handler/),
      });
      expect(await (await queue.getJob(job.id!))?.getState()).toBe('failed');
    });

    it('adds a job once however often the same job id is enqueued', async () => {
      const jobs = api.app.get(JobQueue);
      const jobId = `check-${randomUUID()}`;
      const first = await jobs.enqueue(JobName.WorkerCheck, { requestedBy: 'test' }, { jobId });
      const second = await jobs.enqueue(JobName.WorkerCheck, { requestedBy: 'test' }, { jobId });
      expect(second.id).toBe(first.id);
      await expect(jobs.enqueue(JobName.WorkerCheck, { requestedBy: 'test' }, { jobId: 'a:b' })).rejects.toThrow(/may not contain/);
    });
  });
});
