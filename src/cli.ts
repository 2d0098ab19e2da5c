import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { applyRouting } from './api-app';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { buildOpenApiDocument } from './common/http/openapi';
import { AppError } from './common/errors/app-error';
import { createDataSource } from './database/data-source';
import { DEMO_PASSWORD, DEMO_USERS } from './dev/demo-users';
import { startLocalS3 } from './dev/local-s3';
import { CliModule } from './cli.module';
import { generateTemporaryPassword } from './modules/users/password-policy';
import { Role } from './modules/users/role';
import { UsersService } from './modules/users/users.service';
import { USERNAME } from './modules/users/dto/user.dto';
import { Commune } from './modules/places/commune.entity';
import { StorageService } from './modules/storage/storage.service';
import { Scheduling } from './modules/publishing/facebook-page.entity';
import { PageConnectionService } from './modules/publishing/page-connection.service';

const USAGE = `Usage: node dist/cli.js <command>

  migrate                      apply pending database migrations
  ensure-bucket                create the S3 bucket when it is missing (it is never made public)
  seed-demo                    create the demo users (one per role); not in production
  create-admin --username NAME [--display-name "Full Name"] [--password-stdin]
                               create the first admin (a password is generated unless given on stdin)
  openapi FILE                 write the OpenAPI document to FILE (needs no running services)
  local-s3 [--port 4569] [--dir .data/s3]
                               run the single-machine S3-compatible server (s3rver)
  page-status                  print which Page is connected: real, simulated or none
  connect-simulated-page --file FILE
                               connect the simulated Page described in FILE (written by the fake Graph
                               server that scripts/up.sh starts); refused while a real Page is connected`;

async function migrate(config: AppConfig): Promise<void> {
  const db = createDataSource(config);
  await db.initialize();
  try {
    const applied = await db.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'The database is up to date.');
  } finally {
    await db.destroy();
  }
}

/** The deploy step's own check that S3 takes our keys, through the same code the API and worker use. */
async function ensureBucket(config: AppConfig): Promise<void> {
  const storage = new StorageService(config);
  try {
    await storage.ensureBucket();
    console.log(`Bucket "${storage.bucketName}" is in place.`);
  } finally {
    storage.onModuleDestroy();
  }
}

async function withUsers<T>(config: AppConfig, run: (users: UsersService, db: DataSource) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await run(app.get(UsersService), app.get(DataSource));
  } finally {
    await app.close();
  }
}

async function seedDemo(config: AppConfig): Promise<void> {
  if (config.env === 'production') throw new Error('seed-demo creates accounts with a published password; it does not run when NODE_ENV=production.');
  await withUsers(config, async (users, db) => {
    for (const demo of DEMO_USERS) {
      if (await users.findWithPassword(demo.username)) continue;
      const commune = demo.communeCode ? await db.getRepository(Commune).findOneByOrFail({ code: demo.communeCode }) : null;
      await users.create({
        username: demo.username,
        displayName: demo.displayName,
        role: demo.role,
        communeId: commune?.id ?? null,
        password: DEMO_PASSWORD,
        mustChangePassword: false,
        preferredLanguage: demo.role === Role.Educator ? 'km' : 'en',
      });
    }
  });
  console.log('Demo users (password for all: ' + DEMO_PASSWORD + '):');
  for (const demo of DEMO_USERS) console.log(`  ${demo.role.padEnd(9)} ${demo.username}`);
}

async function readStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function createAdmin(config: AppConfig, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, 'display-name': { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  });
  if (!values.username) throw new Error('create-admin needs --username NAME');
  const username = values.username.trim().toLowerCase();
  // The same rule as for users made in the app, which the API's forms and the database rely on.
  if (!USERNAME.test(username)) {
    throw new Error(`"${values.username}" cannot be a username: use 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.`);
  }
  const given = values['password-stdin'] ? (await readStdin()).trim() : undefined;
  // Asked for a password on stdin and got none (an unset variable in a script): do not invent one.
  if (given === '') throw new Error('--password-stdin was given, but no password arrived on standard input.');
  const password = given || generateTemporaryPassword(16);
  const user = await withUsers(config, (users) =>
    users.create({
      username,
      displayName: values['display-name'] ?? username,
      role: Role.Admin,
      password,
      // A generated password was printed on a terminal: it must be replaced at first sign-in.
      mustChangePassword: !given,
      preferredLanguage: 'en',
    }),
  );
  console.log(`Admin "${user.username}" created.`);
  if (!given) console.log(`Temporary password: ${password}\nSign in with it; you will be asked to choose your own.`);
}

async function writeOpenApi(file: string | undefined): Promise<void> {
  if (!file) throw new Error('openapi needs a FILE to write to');
  // The document depends on routes and DTOs only: no service is contacted in preview mode.
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    REDIS_URL: 'redis://127.0.0.1:6379',
    S3_BUCKET: 'unused',
    JWT_SECRET: 'x'.repeat(32),
    PAGE_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  applyRouting(app);
  writeFileSync(file, JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n');
  console.log(`OpenAPI document written to ${file}`);
}

async function localS3(config: AppConfig, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, dir: { type: 'string' } } });
  const fromEndpoint = config.s3.endpoint ? Number(new URL(config.s3.endpoint).port) : NaN;
  const port = Number(values.port ?? (Number.isFinite(fromEndpoint) && fromEndpoint > 0 ? fromEndpoint : 4569));
  const s3 = await startLocalS3({ port, directory: values.dir ?? '.data/s3', buckets: [config.s3.bucket], env: config.env });
  console.log(`Local S3-compatible server (s3rver) at ${s3.endpoint}, bucket "${config.s3.bucket}". Ctrl+C stops it.`);
  const stop = (): void => void s3.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function withPages<T>(config: AppConfig, run: (pages: PageConnectionService) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await run(app.get(PageConnectionService));
  } finally {
    await app.close();
  }
}

async function pageStatus(config: AppConfig): Promise<void> {
  const page = await withPages(config, (pages) => pages.current());
  console.log(!page ? 'none' : page.simulated ? 'simulated' : 'real');
}

/** The single-machine start's stand-in for the campaign's Page, so a newcomer sees the whole flow. */
async function connectSimulatedPage(config: AppConfig, args: string[]): Promise<void> {
  if (config.env === 'production') throw new Error('The simulated Page is for trying the app on one machine; it does not run when NODE_ENV=production.');
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
  if (!values.file) throw new Error('Give the file the simulated Page wrote: connect-simulated-page --file .data/simulated-page.json');
  const simulated = JSON.parse(readFileSync(values.file, 'utf8')) as { pageId: string; pageToken: string };
  await withPages(config, async (pages) => {
    const current = await pages.current();
    if (current && !current.simulated) throw new Error(`A real Page (${current.name}) is connected; the simulated Page is not used.`);
    const page = await pages.connect(null, { pageId: simulated.pageId, token: simulated.pageToken, scheduling: Scheduling.Worker, simulated: true });
    console.log(`Connected the simulated Page ${page.name} (${page.pageId}). Nothing is posted to Facebook.`);
  });
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'openapi') return writeOpenApi(args[0]);
  const commands: Record<string, (config: AppConfig) => Promise<void>> = {
    migrate,
    'ensure-bucket': ensureBucket,
    'seed-demo': seedDemo,
    'create-admin': (config) => createAdmin(config, args),
    'local-s3': (config) => localS3(config, args),
    'page-status': pageStatus,
    'connect-simulated-page': (config) => connectSimulatedPage(config, args),
  };
  const run = command ? commands[command] : undefined;
  if (!run) {
    console.log(USAGE);
    process.exitCode = command ? 2 : 0;
    return;
  }
  await run(loadConfig());
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError || error instanceof AppError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
