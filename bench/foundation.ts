/** The foundation's costs: S3 streaming, an authenticated list, a job round trip. */
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Pool } from 'pg';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createApiApp } from '../src/api-app';
import { loadConfig } from '../src/config/app-config';
import { createDataSource } from '../src/database/data-source';
import { Commune } from '../src/modules/places/commune.entity';
import { JobName } from '../src/modules/queues/job-catalog';
import { JobQueue } from '../src/modules/queues/job-queue.service';
import { redisConnectionOptions } from '../src/modules/queues/redis-connection';
import { StorageService } from '../src/modules/storage/storage.service';
import { WorkerCheckHandler } from '../src/modules/system/worker-check.handler';
import { Asset, AssetRole } from '../src/modules/testimonies/asset.entity';
import { LIST_THUMBNAIL_VARIANT } from '../src/modules/testimonies/dto/testimony.dto';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { PasswordHasher } from '../src/modules/users/password-hasher';
import { Role } from '../src/modules/users/role';
import { User } from '../src/modules/users/user.entity';
import { WorkerModule } from '../src/worker.module';
import { BenchEnv, cpuMsOf, MB, note, peakRssGrowth, percentile, randomStream, record, time, waitForReady } from './support';

export async function benchStorage(env: BenchEnv): Promise<void> {
  const config = loadConfig(env);
  const storage = new StorageService(config);
  await storage.ensureBucket();
  const size = 256 * MB;
  const sdk = new S3Client({ endpoint: config.s3.endpoint, region: config.s3.region, credentials: config.s3.credentials, forcePathStyle: true });

  // Baseline: the bare SDK multipart upload with the same part size and parallelism. Alternated three
  // times and the medians compared, since s3rver writes to the same disk the rest of the machine uses.
  const bare = { ms: [] as number[], mb: [] as number[] };
  const ours = { ms: [] as number[], mb: [] as number[] };
  for (let round = 0; round < 3; round++) {
    const [baseGrowth, [baseMs]] = await peakRssGrowth(() =>
      time(() =>
        new Upload({ client: sdk, params: { Bucket: config.s3.bucket, Key: 'bench/baseline', Body: randomStream(size) }, partSize: 8 * MB, queueSize: 2 }).done(),
      ),
    );
    const [growth, [oursMs]] = await peakRssGrowth(() => time(() => storage.put('bench/ours', randomStream(size), { contentType: 'application/octet-stream' })));
    bare.ms.push(baseMs);
    bare.mb.push(baseGrowth);
    ours.ms.push(oursMs);
    ours.mb.push(growth);
  }
  const mbps = (ms: number): number => size / MB / (ms / 1000);
  record('S3 put, 256 MB streamed, median of 3 (MB/s)', mbps(percentile(ours.ms, 50)), mbps(percentile(bare.ms, 50)), 'MB/s', '>= 0.9x');
  record('S3 put, peak RSS growth for 256 MB, median (MB)', percentile(ours.mb, 50), percentile(bare.mb, 50), 'MB', '<= 1.2x, far below file size');

  const hash = createHash('sha256');
  const [readMs] = await time(async () => {
    for await (const chunk of await storage.get('bench/ours')) hash.update(chunk as Buffer);
  });
  note('S3 get, 256 MB streamed back (MB/s)', `${(size / MB / (readMs / 1000)).toFixed(1)} MB/s`, '-', '-', 'informational');
  await storage.delete('bench/ours');
  await storage.delete('bench/baseline');
  sdk.destroy();
  storage.onModuleDestroy();
}

export async function benchApiList(env: BenchEnv, apiScript: string): Promise<void> {
  const config = loadConfig(env);
  const db = await createDataSource(config).initialize();
  const commune = await db.getRepository(Commune).findOneByOrFail({ code: '010201' });
  const password = 'bench-password-123';
  const editor = await db.getRepository(User).save({
    username: `bench-${randomUUID().slice(0, 8)}`,
    displayName: 'Bench Editor',
    role: Role.Editor,
    communeId: null,
    passwordHash: await new PasswordHasher().hash(password),
  });
  const educator = await db.getRepository(User).save({
    username: `bench-${randomUUID().slice(0, 8)}`,
    displayName: 'Bench Educator',
    role: Role.Educator,
    communeId: commune.id,
    passwordHash: 'x',
  });
  const items = Array.from({ length: 5000 }, (_, i) => ({
    title: `ទីបន្ទាល់ ${i}`,
    kind: i % 3 === 0 ? MediaKind.Photo : MediaKind.Video,
    language: 'km' as const,
    status: TestimonyStatus.InReview,
    communeId: commune.id,
    educatorId: educator.id,
  }));
  // Every item has its list thumbnail, as processed items do, so the page signs (or reuses) 50 links.
  for (let i = 0; i < items.length; i += 1000) {
    const { identifiers } = await db.getRepository(Testimony).insert(items.slice(i, i + 1000));
    await db.getRepository(Asset).insert(
      identifiers.map(({ id }) => ({ testimonyId: id, role: AssetRole.Thumbnail, variant: LIST_THUMBNAIL_VARIANT, storageKey: `testimonies/${id}/thumbnail.webp`, mimeType: 'image/webp', byteSize: 9000 })),
    );
  }

  // The compiled API in a process of its own, as deployed, driven by autocannon from this one: a client
  // in the API's own process would spend the API's single thread on fetching and unzipping too.
  const port = 3990 + (process.pid % 9);
  const url = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, [apiScript], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  const requests = 400;
  const concurrency = 8;
  let ours: number[];
  let cpuPerRequest: number;
  try {
    await waitForReady(url);
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: editor.username, password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const list = async (amount: number): Promise<number[]> => {
      const latencies: number[] = [];
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${url}/api/testimonies?pageSize=50`,
            connections: concurrency,
            amount,
            // What a browser sends; the page goes out compressed, as it does to the web app.
            headers: { authorization: `Bearer ${accessToken}`, 'accept-encoding': 'gzip, deflate, br' },
          },
          (error, done) => (error ? reject(error) : resolve(done)),
        );
        instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
      });
      if (result.non2xx + result.errors + result.timeouts > 0) throw new Error('list failed');
      return latencies;
    };
    // A running API is warm: the first requests after start-up (code still being compiled, connections
    // being opened) are left out, from both sides.
    await list(100);
    const cpuBefore = cpuMsOf(api.pid!);
    ours = await list(requests);
    cpuPerRequest = (cpuMsOf(api.pid!) - cpuBefore) / requests;
  } finally {
    api.kill('SIGTERM');
  }
  // The same page straight from PostgreSQL: what the database alone costs.
  const pg = new Pool({ connectionString: config.database.url, max: concurrency });
  const sql = async (amount: number): Promise<number[]> => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < amount) {
          const [ms] = await time(() =>
            pg.query(
              `SELECT t.*, c.*, p.*, e.id, e.display_name FROM testimonies t JOIN communes c ON c.id = t.commune_id
               JOIN provinces p ON p.id = c.province_id JOIN users e ON e.id = t.educator_id ORDER BY t.created_at DESC LIMIT 50`,
            ),
          );
          latencies.push(ms);
        }
      }),
    );
    return latencies;
  };
  await sql(100);
  const baseline = await sql(requests);
  await pg.end();
  record('GET /api/testimonies, 50 of 5,000, 8 at once, p50 (ms)', percentile(ours, 50), percentile(baseline, 50), 'ms', 'informational: HTTP, auth, JSON over SQL');
  record('GET /api/testimonies, 50 of 5,000, 8 at once, p95 (ms)', percentile(ours, 95), percentile(baseline, 95), 'ms', 'p95 < 100 ms');
  note('GET /api/testimonies, API CPU per request (ms)', cpuPerRequest.toFixed(1), '-', '-', `informational; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // A job's round trip through our queue layer and worker, against bare BullMQ with a no-op worker.
  const app = await createApiApp(config);
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  const jobs = app.get(JobQueue);
  const trips = 50;
  const events = new QueueEvents('system', { connection: redisConnectionOptions(config.redis.url, 'worker'), prefix: config.queues.prefix });
  await events.waitUntilReady();
  const oursTrips: number[] = [];
  for (let i = 0; i < trips; i++) {
    oursTrips.push((await time(async () => (await jobs.enqueue(JobName.WorkerCheck, { requestedBy: 'bench' })).waitUntilFinished(events, 10_000)))[0]);
  }
  await events.close();

  // Baseline: bare BullMQ calling the same check directly, so the difference is our queue layer alone.
  const check = worker.get(WorkerCheckHandler);
  const connection = redisConnectionOptions(config.redis.url, 'worker');
  const bareQueue = new Queue('bench-bare', { connection, prefix: config.queues.prefix });
  const bareWorker = new Worker('bench-bare', (job) => check.run(job as never), { connection, prefix: config.queues.prefix });
  const bareEvents = new QueueEvents('bench-bare', { connection, prefix: config.queues.prefix });
  await bareEvents.waitUntilReady();
  const bareTrips: number[] = [];
  for (let i = 0; i < trips; i++) bareTrips.push((await time(async () => (await bareQueue.add('noop', {})).waitUntilFinished(bareEvents, 10_000)))[0]);
  await bareWorker.close();
  await bareEvents.close();
  await bareQueue.obliterate({ force: true });
  await bareQueue.close();
  await worker.close();
  record('Job round trip (enqueue, run check, answer), p50 (ms)', percentile(oursTrips, 50), percentile(bareTrips, 50), 'ms', '<= 1.2x');

  await app.close();
  await db.destroy();
}

