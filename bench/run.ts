/**
 * npm run bench [section ...]: each figure printed beside a baseline measured in the same run on the
 * same machine. Sections: foundation, photo, video, upload, memory, captions, publishing, load, reach, sync, web (all by default). Uses real
 * PostgreSQL and Redis (BENCH_DATABASE_ADMIN_URL / BENCH_REDIS_URL, default the local ones), an s3rver
 * of its own in a process of its own, and the compiled API and worker in dist/ (npm run bench builds them first).
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { createDataSource } from '../src/database/data-source';
import { closedPort } from '../test/support/faults';
import { benchCaptions } from './captions';
import { benchInsightsSync } from './insights-sync';
import { benchApiList, benchStorage } from './foundation';
import { benchPhoto, benchVideo, benchWorkerMemory } from './media';
import { benchReach } from './reach';
import { rows } from './support';
import { benchLoad } from './load';
import { benchPublishing } from './publishing';
import { benchUpload } from './uploads';
import { benchWebApp } from './web';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const DATABASE = `migra_media_bench_${process.pid}`;
const DIST = resolve(__dirname, '..', 'dist');

const SECTIONS: Record<string, (env: Record<string, string>, dir: string) => Promise<void>> = {
  foundation: async (env) => {
    await benchStorage(env);
    await benchApiList(env, join(DIST, 'main.js'));
  },
  photo: benchPhoto,
  video: benchVideo,
  upload: (env, dir) => benchUpload(env, dir, join(DIST, 'main.js')),
  memory: (env, dir) => benchWorkerMemory(env, dir, join(DIST, 'worker.js')),
  captions: benchCaptions,
  publishing: benchPublishing,
  load: (env, dir) => benchLoad(env, dir, join(DIST, 'main.js')),
  reach: benchReach,
  sync: benchInsightsSync,
  web: (env, dir) => benchWebApp(env, dir, join(DIST, 'main.js')),
};

/**
 * s3rver in a process of its own, as every deployment runs its S3 server (scripts/up.sh starts this same
 * command). In the bench's process it shared one thread with the worker it serves: staging the 60 s
 * clip took 0.67-1.03 s there against 0.39-0.62 s from its own process.
 */
async function startS3(env: Record<string, string>, directory: string): Promise<{ close(): Promise<void> }> {
  const port = new URL(env.S3_ENDPOINT).port;
  const child: ChildProcess = spawn(process.execPath, [join(DIST, 'cli.js'), 'local-s3', '--port', port, '--dir', directory], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    // `once` rejects when the process could not be started at all; say so rather than leave it unhandled.
    exited.then(([code]) => reject(new Error(`The bench's local S3 server exited (${code}) before it answered`)), reject);
  });
  return {
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(SECTIONS);
  const unknown = chosen.filter((name) => !SECTIONS[name]);
  if (unknown.length > 0) throw new Error(`Unknown bench section(s): ${unknown.join(', ')}. Known: ${Object.keys(SECTIONS).join(', ')}`);

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  const dir = mkdtempSync(join(tmpdir(), 'migra-bench-'));
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${DATABASE}`;
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    DATABASE_MIGRATE_ON_START: 'false',
    REDIS_URL,
    QUEUE_PREFIX: `migrabench${process.pid}`,
    S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
    S3_BUCKET: 'migra-bench',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    PAGE_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    WEB_DIST_DIR: 'web/dist',
    MEDIA_WORK_DIR: join(dir, 'work'),
  };
  let s3: { close(): Promise<void> } | undefined;
  try {
    s3 = await startS3(env, join(dir, 's3'));
    const db = createDataSource(loadConfig(env));
    await db.initialize();
    await db.runMigrations();
    await db.destroy();
    for (const name of chosen) {
      console.log(`bench: ${name}...`);
      await SECTIONS[name](env, dir);
    }
  } finally {
    // Also when a section failed: what the sections before it measured (the video one alone is 20 minutes) stays.
    if (rows.length > 0) {
      console.log('\nMigra Media benchmarks (this machine, this run; ratio = ours / baseline)\n');
      console.table(rows);
    }
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
