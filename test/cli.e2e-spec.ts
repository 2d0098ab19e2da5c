import { DeleteBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { In } from 'typeorm';
import { DEMO_PASSWORD, DEMO_USERS } from '../src/dev/demo-users';
import { Role } from '../src/modules/users/role';
import { User } from '../src/modules/users/user.entity';
import { closeTestDb, startTestApp, TestApp, testDb } from './support/test-app';
import { testEnv } from './support/test-env';

const ROOT = resolve(__dirname, '..');
const DEMO_USERNAMES = DEMO_USERS.map((u) => u.username);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let buildDir: string;

/** Runs the compiled CLI as an operator would, with exactly the environment given (nothing inherited). */
function cli(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(buildDir, 'cli.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...(options.env ?? testEnv()) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    // A command that never exits (an open connection left behind) is a failure, not a hang.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} did not exit in time.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

const STACK_FRAME = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

async function removeUsers(usernames: string[]): Promise<void> {
  const db = await testDb();
  const users = await db.getRepository(User).findBy({ username: In(usernames) });
  if (users.length === 0) return;
  const ids = users.map((u) => u.id);
  await db.query('DELETE FROM audit_events WHERE actor_id = ANY($1) OR target_id = ANY($2)', [ids, ids]);
  await db.getRepository(User).delete({ id: In(ids) });
}

describe('Command-line tasks', () => {
  const created: string[] = [];
  let api: TestApp | undefined;

  beforeAll(() => {
    // The CLI runs as compiled JavaScript; compile this working tree once, away from dist/.
    buildDir = mkdtempSync(join(tmpdir(), 'migra-cli-e2e-'));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', buildDir, '--incremental', 'false'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await removeUsers([...created, ...DEMO_USERNAMES]);
    await closeTestDb();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });

  // Failed sign-ins are counted per IP across every spec of the run; other specs' failures must not lock this one out.
  const startApi = (): Promise<TestApp> => startTestApp({ env: { LOGIN_MAX_FAILURES: '1000' } });

  const newUsername = (): string => {
    const name = `cli-admin-${randomUUID().slice(0, 8)}`;
    created.push(name);
    return name;
  };

  it('migrate on an up-to-date database says so and exits 0', async () => {
    const run = await cli(['migrate']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/The database is up to date\./);
    expect(run.code).toBe(0);
  });

  it('create-admin prints a temporary password that signs in through the API, and must be changed', async () => {
    const username = newUsername();
    const run = await cli(['create-admin', '--username', username, '--display-name', 'សុខា ចាន់']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Admin "${username}" created.`);
    const password = /Temporary password: (\S+)/.exec(run.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);

    const user = await (await testDb()).getRepository(User).findOneByOrFail({ username });
    expect(user).toMatchObject({ role: Role.Admin, mustChangePassword: true, active: true, displayName: 'សុខា ចាន់' });

    api ??= await startApi();
    const login = await request(api.url).post('/api/auth/login').send({ username, password });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username, role: 'admin', mustChangePassword: true });
  });

  it('create-admin --password-stdin uses the password given, with no change required', async () => {
    const username = newUsername();
    const password = 'a long passphrase from the vault';
    const run = await cli(['create-admin', '--username', username.toUpperCase(), '--password-stdin'], { input: `${password}\n` });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Admin "${username}" created.`);
    expect(run.stdout).not.toMatch(/Temporary password/);
    expect(run.stdout).not.toContain(password);

    const user = await (await testDb()).getRepository(User).findOneByOrFail({ username });
    expect(user).toMatchObject({ role: Role.Admin, mustChangePassword: false });

    api ??= await startApi();
    expect((await request(api.url).post('/api/auth/login').send({ username, password })).status).toBe(200);
  });

  it('create-admin refuses an empty or weak password on stdin instead of inventing or accepting one', async () => {
    const username = newUsername();
    const empty = await cli(['create-admin', '--username', username, '--password-stdin'], { input: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no password arrived on standard input/);
    expect(empty.stdout).not.toMatch(/Temporary password/);

    const weak = await cli(['create-admin', '--username', username, '--password-stdin'], { input: 'short\n' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 10 characters/);
    expect(weak.stderr).not.toMatch(STACK_FRAME);

    expect(await (await testDb()).getRepository(User).findOneBy({ username })).toBeNull();
  });

  it('create-admin refuses a duplicate username with a plain message and no stack trace', async () => {
    const username = newUsername();
    expect((await cli(['create-admin', '--username', username])).code).toBe(0);

    const again = await cli(['create-admin', '--username', username]);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toBe(`The username "${username}" is taken. Choose another.`);
    expect(again.stderr).not.toMatch(STACK_FRAME);
    expect(again.stdout).not.toMatch(/Temporary password/);
    expect(await (await testDb()).getRepository(User).countBy({ username })).toBe(1);
  });

  it('create-admin refuses a username the app itself would refuse, and a missing one', async () => {
    for (const bad of ['Not Valid!', 'ab', 'a'.repeat(33), 'សុខា']) {
      const run = await cli(['create-admin', '--username', bad]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/cannot be a username/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }
    const missing = await cli(['create-admin']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/needs --username/);
  });

  it('seed-demo refuses to run in production and creates nobody', async () => {
    await removeUsers(DEMO_USERNAMES);
    const run = await cli(['seed-demo'], { env: { ...testEnv(), NODE_ENV: 'production' } });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/NODE_ENV=production/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(await (await testDb()).getRepository(User).countBy({ username: In(DEMO_USERNAMES) })).toBe(0);
  });

  it('local-s3 refuses to start in production, where it would serve every file to anyone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migra-local-s3-'));
    try {
      const run = await cli(['local-s3', '--port', '0', '--dir', dir], { env: { ...testEnv(), NODE_ENV: 'production' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/does not run when NODE_ENV=production/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stdout).not.toMatch(/Local S3-compatible server/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seed-demo creates one demo user per role, and a second run changes nothing', async () => {
    await removeUsers(DEMO_USERNAMES);
    const first = await cli(['seed-demo']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(DEMO_PASSWORD);

    const repo = (await testDb()).getRepository(User);
    const users = await repo.find({ where: { username: In(DEMO_USERNAMES) }, relations: { commune: true }, order: { username: 'ASC' } });
    expect(users.map((u) => u.role).sort()).toEqual([Role.Admin, Role.Editor, Role.Educator, Role.Lead].sort());
    expect(users.every((u) => !u.mustChangePassword && u.active)).toBe(true);
    expect(users.find((u) => u.role === Role.Educator)?.commune?.code).toBe('010201');
    const ids = users.map((u) => u.id).sort();

    const second = await cli(['seed-demo']);
    expect(second.code).toBe(0);
    const after = await repo.findBy({ username: In(DEMO_USERNAMES) });
    expect(after).toHaveLength(4);
    expect(after.map((u) => u.id).sort()).toEqual(ids);

    api ??= await startApi();
    const login = await request(api.url).post('/api/auth/login').send({ username: 'demo-educator', password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: 'educator', displayName: 'សុខា ចាន់' });
  });

  it('ensure-bucket creates a missing bucket, and a second run leaves it as it is', async () => {
    const env: Record<string, string> = { ...testEnv(), S3_BUCKET: `cli-bucket-${randomUUID().slice(0, 8)}` };
    const s3 = new S3Client({ endpoint: env.S3_ENDPOINT, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const first = await cli(['ensure-bucket'], { env });
      expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
      expect(first.stdout).toContain(`Creating bucket ${env.S3_BUCKET}`);
      expect(first.stdout).toContain(`Bucket "${env.S3_BUCKET}" is in place.`);

      const second = await cli(['ensure-bucket'], { env });
      expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
      expect(second.stdout).not.toContain('Creating bucket');
      expect(second.stdout).toContain(`Bucket "${env.S3_BUCKET}" is in place.`);
      await expect(s3.send(new HeadBucketCommand({ Bucket: env.S3_BUCKET }))).resolves.toBeDefined();
    } finally {
      await s3.send(new DeleteBucketCommand({ Bucket: env.S3_BUCKET })).catch(() => undefined);
      s3.destroy();
    }
  });

  it('ensure-bucket fails with a plain message when S3 does not answer, so the deploy stops there', async () => {
    const run = await cli(['ensure-bucket'], { env: { ...testEnv(), S3_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ECONNREFUSED|connect/i);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).not.toContain('is in place');
  });

  it('openapi FILE writes a valid OpenAPI 3 document without any configuration or service', async () => {
    const file = join(buildDir, 'openapi.json');
    // No DATABASE_URL, REDIS_URL, S3_* or JWT_SECRET at all.
    const run = await cli(['openapi', file], { env: {} });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`OpenAPI document written to ${file}`);

    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Migra Media API', version: expect.any(String) });
    expect(doc.paths['/api/auth/login']?.post).toBeDefined();
    expect(doc.paths['/api/users']?.get).toBeDefined();
    expect(doc.paths['/api/users']?.post).toBeDefined();
    // The global prefix is applied as the running server applies it.
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/') || p === '/health' || p === '/ready')).toBe(true);

    // Structurally sound: every operation answers something, ids are unique, every $ref resolves.
    const operationIds: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { responses?: object; operationId?: string }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(method)) continue;
        expect({ path, method, responses: Object.keys(op.responses ?? {}).length > 0 }).toEqual({ path, method, responses: true });
        if (op.operationId) operationIds.push(op.operationId);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
      expect({ ref, resolves: target !== undefined }).toEqual({ ref, resolves: true });
    }
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const run = await cli(['frobnicate'], { env: {} });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/Usage: node dist\/cli\.js <command>/);
    for (const command of ['migrate', 'ensure-bucket', 'seed-demo', 'create-admin', 'openapi']) expect(run.stdout + run.stderr).toContain(command);
  });
});
