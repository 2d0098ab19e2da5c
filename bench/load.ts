/**
 * A load run on the compiled API as deployed: 50 users for 60 s, each signing in, listing, opening an
 * item and sending a small photo, three times over. Reports p50 and p99 latency and the error rate, and
 * the API's memory after each run: resident, and the heap left after a full collection once idle, which
 * should not climb run after run.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config/app-config';
import { createDataSource } from '../src/database/data-source';
import { PasswordHasher } from '../src/modules/users/password-hasher';
import { Commune } from '../src/modules/places/commune.entity';
import { Testimony } from '../src/modules/testimonies/testimony.entity';
import { MediaKind, TestimonyStatus } from '../src/modules/testimonies/testimony-status';
import { Role } from '../src/modules/users/role';
import { User } from '../src/modules/users/user.entity';
import { BenchEnv, note, waitForReady } from './support';

const USERS = 50;
const SECONDS = 60;
/** Three by default; BENCH_LOAD_RUNS=10 makes it a soak that shows whether the heap levels off. */
const RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_LOAD_RUNS must be a whole number of runs, 1 or more (it is "${process.env.BENCH_LOAD_RUNS}")`);
const BOUNDARY = 'migra-bench-boundary';
/** Long enough for in-flight jobs, sockets and timers of a run to finish before the heap is read. */
const IDLE_MS = 5000;

/** What one virtual user carries from its sign-in to its next requests. */
type Session = { token?: string; item?: string };

function currentRssMb(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/**
 * Starts the API with a bench-only listener: asked over the IPC channel, it collects garbage and answers
 * its memory. RSS alone cannot tell a leak from a heap V8 has grown and not yet given back; the heap that
 * survives a full collection can. Production code has no such hook.
 */
function heapProbe(apiScript: string): string {
  return `process.on('message', (m) => { if (m === 'heap') { global.gc(); process.send(process.memoryUsage()); } }); require(${JSON.stringify(apiScript)});`;
}

/** The API's heap after a full collection, once the run's last requests have settled. */
async function idleHeapMb(api: ChildProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const usage = await new Promise<NodeJS.MemoryUsage>((resolve) => {
    api.once('message', (m) => resolve(m as NodeJS.MemoryUsage));
    api.send('heap');
  });
  return usage.heapUsed / 1024 / 1024;
}

export async function benchLoad(env: BenchEnv, dir: string, apiScript: string): Promise<void> {
  const config = loadConfig(env);
  const db = await createDataSource(config).initialize();
  const commune = await db.getRepository(Commune).findOneByOrFail({ code: '010201' });
  const password = 'bench-load-password-123';
  const passwordHash = await new PasswordHasher().hash(password);
  const users = await db.getRepository(User).save(
    Array.from({ length: USERS }, () => ({ username: `load-${randomUUID().slice(0, 8)}`, displayName: 'Load', role: Role.Educator, communeId: commune.id, passwordHash })),
  );
  const items = await db.getRepository(Testimony).save(
    users.map((u) => ({ title: 'ទីបន្ទាល់', kind: MediaKind.Photo, language: 'km' as const, status: TestimonyStatus.InReview, communeId: commune.id, educatorId: u.id })),
  );
  const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#a04030' } }).jpeg().toBuffer();
  const fields = { title: 'load', language: 'km', kind: 'photo', consent: 'true' };
  const multipart = Buffer.concat([
    ...Object.entries(fields).map(([k, v]) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    photo,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

  const port = 3950 + (process.pid % 40);
  const url = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, ['--expose-gc', '-e', heapProbe(apiScript)], {
    env: { ...process.env, ...env, PORT: String(port), UPLOAD_STAGING_DIR: join(dir, 'load-staging'), LOGIN_MAX_FAILURES: '1000' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  try {
    await waitForReady(url);
    const before = await idleHeapMb(api);
    note('Load: API heap after a full GC, idle, before the runs', `${before.toFixed(1)} MB`, '-', '-', 'the reference for the runs below');
    for (let run = 1; run <= RUNS; run++) {
      let next = 0;
      const result = await autocannon({
        url,
        connections: USERS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/api/auth/login',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req, context: Session) => {
              const user = users[next++ % USERS];
              context.item = items[users.indexOf(user)].id;
              return { ...req, body: JSON.stringify({ username: user.username, password }) };
            },
            onResponse: (_status, body, context: Session) => {
              context.token = (JSON.parse(body) as { accessToken?: string }).accessToken;
            },
          },
          { method: 'GET', path: '/api/testimonies?pageSize=20', setupRequest: (req, context: Session) => ({ ...req, headers: { authorization: `Bearer ${context.token}` } }) },
          { method: 'GET', setupRequest: (req, context: Session) => ({ ...req, path: `/api/testimonies/${context.item}`, headers: { authorization: `Bearer ${context.token}` } }) },
          {
            method: 'POST',
            path: '/api/uploads/photo',
            setupRequest: (req, context: Session) => ({ ...req, body: multipart, headers: { authorization: `Bearer ${context.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }),
          },
        ],
      });
      const failed = result.errors + result.timeouts + result.non2xx;
      const total = result.requests.total + result.errors + result.timeouts;
      const rss = currentRssMb(api.pid!);
      const heap = await idleHeapMb(api);
      note(
        `Load run ${run}/${RUNS}: ${USERS} users for ${SECONDS} s (sign in, list, item, small photo)`,
        `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.average.toFixed(0)} req/s`,
        `errors ${((100 * failed) / Math.max(total, 1)).toFixed(2)}%`,
        `API RSS ${rss.toFixed(0)} MB; heap after GC ${heap.toFixed(1)} MB (+${(heap - before).toFixed(1)})`,
        'no errors; heap after GC flat across runs',
      );
    }
  } finally {
    api.kill('SIGTERM');
    await db.destroy();
  }
}
