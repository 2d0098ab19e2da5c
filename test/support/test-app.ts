import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../src/api-app';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createDataSource } from '../../src/database/data-source';
import { Commune } from '../../src/modules/places/commune.entity';
import { Testimony } from '../../src/modules/testimonies/testimony.entity';
import { ContentLanguage, MediaKind, TestimonyStatus } from '../../src/modules/testimonies/testimony-status';
import { Role } from '../../src/modules/users/role';
import { User } from '../../src/modules/users/user.entity';
import { WorkerModule } from '../../src/worker.module';
import { testEnv } from './test-env';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...testEnv(), ...overrides });
}

/** A real API on a random port, built exactly as production builds it, serving the built web app. */
export async function startTestApp(options: { env?: Record<string, string> } = {}): Promise<{ url: string; close(): Promise<void> } & TestApp> {
  const config = testConfig(options.env);
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** A real worker process context (BullMQ processors, no HTTP) in this test process. */
export async function startTestWorker(env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig(env)), { logger: false });
  await worker.init();
  return worker;
}

let sharedDb: Promise<DataSource> | undefined;

/** A direct connection for arranging data; closed by closeTestDb() in afterAll. */
export function testDb(): Promise<DataSource> {
  sharedDb ??= createDataSource(testConfig()).initialize();
  return sharedDb;
}

export async function closeTestDb(): Promise<void> {
  const db = await sharedDb;
  sharedDb = undefined;
  await db?.destroy();
}

export async function anyCommune(code?: string, db?: DataSource): Promise<Commune> {
  db ??= await testDb();
  return db.getRepository(Commune).findOneOrFail({ where: code ? { code } : {}, relations: { province: true }, order: { code: 'ASC' } });
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  communeId: string | null;
}

/** Creates a user straight in the database (the shared one unless `db` is given); educators get a commune unless one is given. */
export async function createTestUser(
  role: Role | `${Role}`,
  overrides: { password?: string; mustChangePassword?: boolean; preferredLanguage?: 'km' | 'en'; communeId?: string; active?: boolean; displayName?: string; db?: DataSource } = {},
): Promise<TestUser> {
  const db = overrides.db ?? (await testDb());
  const password = overrides.password ?? `pw-${randomUUID()}`;
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  const communeId = overrides.communeId ?? (role === Role.Educator ? (await anyCommune(undefined, db)).id : null);
  const user = await db.getRepository(User).save({
    username,
    displayName: overrides.displayName ?? `Test ${role}`,
    role: role as Role,
    communeId,
    passwordHash: await argon2.hash(password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1 }),
    preferredLanguage: overrides.preferredLanguage ?? 'km',
    mustChangePassword: overrides.mustChangePassword ?? false,
    active: overrides.active ?? true,
  });
  return { id: user.id, username, password, role: role as Role, communeId };
}

export async function createTestTestimony(
  educator: TestUser,
  overrides: Partial<{ title: string; status: TestimonyStatus; kind: MediaKind; language: ContentLanguage; db: DataSource }> = {},
): Promise<Testimony> {
  const db = overrides.db ?? (await testDb());
  return db.getRepository(Testimony).save({
    title: overrides.title ?? `Testimony ${randomUUID().slice(0, 6)}`,
    kind: overrides.kind ?? MediaKind.Video,
    language: overrides.language ?? 'km',
    status: overrides.status ?? TestimonyStatus.InReview,
    communeId: educator.communeId!,
    educatorId: educator.id,
  });
}

export async function login(url: string, user: { username: string; password: string }): Promise<string> {
  const res = await request(url).post('/api/auth/login').send({ username: user.username, password: user.password });
  if (res.status !== 200) throw new Error(`login as ${user.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** Signs in as a browser does; returns the session cookie (`name=value`) and the same session's bearer token. */
export async function browserLogin(url: string, user: { username: string; password: string }): Promise<{ cookie: string; token: string }> {
  const res = await request(url).post('/api/auth/login').send({ username: user.username, password: user.password });
  if (res.status !== 200) throw new Error(`login as ${user.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { cookie: String(res.headers['set-cookie']).split(';')[0], token: res.body.accessToken as string };
}

/** Signs a user in and returns their bearer token, creating the user first. */
export async function signedIn(url: string, role: Role | `${Role}`, overrides: Parameters<typeof createTestUser>[1] = {}): Promise<TestUser & { token: string }> {
  const user = await createTestUser(role, overrides);
  return { ...user, token: await login(url, user) };
}
