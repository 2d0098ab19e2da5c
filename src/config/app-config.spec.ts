import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from './app-config';

/** As `openssl rand -base64 48` makes them. */
const PRODUCTION_SECRET = 'q3Vx9k2LrT8mWc4ZpN7bYh1JdF6sGe0AuK5oXiR2tQv8MwE3nB9cL4yH7jD1fS6a';

/** The smallest environment the process can start with: the five variables that have no default. */
const minimal = (): Record<string, string> => ({
  DATABASE_URL: 'postgres://migra@127.0.0.1:5432/migra_media',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  S3_BUCKET: 'migra-media',
  JWT_SECRET: 'j'.repeat(32),
  PAGE_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('fills in the documented defaults from a minimal environment', () => {
    const config = loadConfig(minimal());

    expect(config.env).toBe('development');
    expect(config.http.port).toBe(3000);
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    expect(config.http.secureCookies).toBe(false);
    expect(config.http.trustProxy).toBe(false);
    expect(config.database).toEqual({ url: 'postgres://migra@127.0.0.1:5432/migra_media', migrateOnStart: true, connectRetries: 5 });
    expect(config.queues).toMatchObject({ prefix: 'migra', attempts: 5, workerConcurrency: 1 });
    expect(config.s3).toMatchObject({ region: 'us-east-1', bucket: 'migra-media', forcePathStyle: true, presignTtlSeconds: 300 });
    expect(config.s3.endpoint).toBeUndefined();
    expect(config.s3.credentials).toBeUndefined();
    expect(config.auth).toMatchObject({ jwtTtlSeconds: 12 * 3600, loginMaxFailures: 8 });
  });

  it('derives PUBLIC_URL from PORT, and drops a trailing slash from a given one', () => {
    expect(loadConfig({ ...minimal(), PORT: '8080' }).http.publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ ...minimal(), PUBLIC_URL: 'https://media.example.org/' }).http.publicUrl).toBe('https://media.example.org');
  });

  it('refuses, in production only, the .env.example secret and secrets that are long but predictable', () => {
    const example = 'change-me-to-a-long-random-secret-of-48-chars-or-more';
    expect(readFileSync(join(__dirname, '../../.env.example'), 'utf8')).toContain(`JWT_SECRET=${example}`);
    expect(problemsOf({ ...minimal(), NODE_ENV: 'production', JWT_SECRET: example })).toEqual([expect.stringMatching(/^JWT_SECRET is the example value.*openssl rand/)]);
    for (const predictable of ['j'.repeat(48), 'abcabcabcabcabcabcabcabcabcabcabcabc', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab']) {
      expect(problemsOf({ ...minimal(), NODE_ENV: 'production', JWT_SECRET: predictable })).toEqual([expect.stringMatching(/^JWT_SECRET is too predictable/)]);
    }
    expect(() => loadConfig({ ...minimal(), NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET })).not.toThrow();
    // Development and tests may keep the example value: it never guards real people's data there.
    expect(() => loadConfig({ ...minimal(), NODE_ENV: 'development', JWT_SECRET: example })).not.toThrow();
  });

  it('runs migrations on start, uses plain cookies and serves the API docs outside production only', () => {
    const dev = loadConfig({ ...minimal(), NODE_ENV: 'development' });
    const test = loadConfig({ ...minimal(), NODE_ENV: 'test' });
    const prod = loadConfig({ ...minimal(), NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET });

    expect(dev.database.migrateOnStart).toBe(true);
    expect(test.database.migrateOnStart).toBe(true);
    expect(prod.database.migrateOnStart).toBe(false);
    expect(dev.http.secureCookies).toBe(false);
    expect(test.http.secureCookies).toBe(false);
    expect(prod.http.secureCookies).toBe(true);
    expect([dev.http.apiDocsEnabled, test.http.apiDocsEnabled, prod.http.apiDocsEnabled]).toEqual([true, true, false]);
    expect(loadConfig({ ...minimal(), NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET, API_DOCS_ENABLED: 'true' }).http.apiDocsEnabled).toBe(true);
    // An explicit choice wins over the environment's default.
    expect(loadConfig({ ...minimal(), NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET, DATABASE_MIGRATE_ON_START: 'true' }).database.migrateOnStart).toBe(true);
    expect(loadConfig({ ...minimal(), DATABASE_MIGRATE_ON_START: 'false' }).database.migrateOnStart).toBe(false);
  });

  it('reports every problem at once, naming each variable, without noise from a value of the wrong type', () => {
    const env = minimal();
    delete env.DATABASE_URL;
    const problems = problemsOf({ ...env, JWT_SECRET: 'too-short', PORT: 'abc' });

    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toMatch(/DATABASE_URL is missing/);
    expect(problems.find((p) => p.startsWith('JWT_SECRET'))).toMatch(/at least 32 characters/);
    expect(problems.find((p) => p.startsWith('PORT'))).toMatch(/integer/);
    // "abc" is not a number at all: range messages about it would only confuse.
    expect(problems.join('\n')).not.toMatch(/greater than|less than/);

    let message = '';
    try {
      loadConfig({ ...env, JWT_SECRET: 'too-short', PORT: 'abc' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/3 problem\(s\)/);
    for (const variable of ['DATABASE_URL', 'JWT_SECRET', 'PORT']) expect(message).toContain(variable);
  });

  it('still reports a number that is out of range', () => {
    expect(problemsOf({ ...minimal(), PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: .*65535/)]);
    expect(problemsOf({ ...minimal(), S3_PRESIGN_TTL_SECONDS: '10' })).toEqual([expect.stringMatching(/^S3_PRESIGN_TTL_SECONDS: /)]);
  });

  it('refuses an S3 access key without its secret, and a secret without its key', () => {
    expect(problemsOf({ ...minimal(), S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toEqual([
      expect.stringMatching(/S3_SECRET_ACCESS_KEY.*must be set when S3_ACCESS_KEY_ID is/),
    ]);
    expect(problemsOf({ ...minimal(), S3_SECRET_ACCESS_KEY: 'secret' })).toEqual([
      expect.stringMatching(/S3_ACCESS_KEY_ID.*must be set when S3_SECRET_ACCESS_KEY is/),
    ]);
    expect(loadConfig({ ...minimal(), S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: 'secret' }).s3.credentials).toEqual({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
    });
  });

  it('needs both whisper.cpp paths when that engine is chosen, and no engine by default', () => {
    expect(loadConfig(minimal()).speech).toMatchObject({ engine: 'none' });
    expect(problemsOf({ ...minimal(), SPEECH_ENGINE: 'whisper.cpp' })).toEqual([
      expect.stringMatching(/^WHISPER_CPP_BINARY is missing.*whisper-cli/),
      expect.stringMatching(/^WHISPER_CPP_MODEL is missing.*ggml/),
    ]);
    expect(problemsOf({ ...minimal(), SPEECH_ENGINE: 'vosk' })).toEqual([expect.stringMatching(/^SPEECH_ENGINE: .*none or whisper\.cpp/)]);
    const whisper = { ...minimal(), SPEECH_ENGINE: 'whisper.cpp', WHISPER_CPP_BINARY: '/opt/whisper/whisper-cli', WHISPER_CPP_MODEL: '/opt/whisper/ggml-small.bin' };
    expect(loadConfig(whisper).speech).toEqual({ engine: 'whisper.cpp', whisperBinary: '/opt/whisper/whisper-cli', whisperModel: '/opt/whisper/ggml-small.bin', timeoutSeconds: 3600 });
  });

  it('treats empty values as unset, as a copied .env.example with blanks has them', () => {
    const config = loadConfig({ ...minimal(), PORT: '', NODE_ENV: '', S3_ENDPOINT: '', S3_PUBLIC_ENDPOINT: '', S3_ACCESS_KEY_ID: '', S3_SECRET_ACCESS_KEY: '', TRUST_PROXY: '' });
    expect(config.http.port).toBe(3000);
    expect(config.env).toBe('development');
    expect(config.s3.endpoint).toBeUndefined();
    expect(config.s3.publicEndpoint).toBeUndefined();
    expect(config.s3.credentials).toBeUndefined();
    expect(config.http.trustProxy).toBe(false);

    expect(problemsOf({ ...minimal(), DATABASE_URL: '' })).toEqual([expect.stringMatching(/^DATABASE_URL is missing/)]);
    // One of the pair set and the other blank is still the half-configured mistake.
    expect(problemsOf({ ...minimal(), S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: '' })).toHaveLength(1);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['TRUE', true],
  ])('reads the boolean %p as %p', (raw, expected) => {
    const config = loadConfig({ ...minimal(), TRUST_PROXY: raw, QUEUE_DASHBOARD_ENABLED: raw, S3_FORCE_PATH_STYLE: raw });
    expect(config.http.trustProxy).toBe(expected);
    expect(config.queues.dashboardEnabled).toBe(expected);
    expect(config.s3.forcePathStyle).toBe(expected);
  });

  it('refuses a boolean it cannot read instead of guessing', () => {
    expect(problemsOf({ ...minimal(), TRUST_PROXY: 'maybe' })).toEqual([expect.stringMatching(/^TRUST_PROXY: .*boolean/)]);
  });

  it('refuses URLs of the wrong kind', () => {
    const problems = problemsOf({ ...minimal(), DATABASE_URL: 'mysql://x@h/db', REDIS_URL: 'http://h:6379', S3_ENDPOINT: '127.0.0.1:9000' });
    expect(problems).toHaveLength(3);
    for (const variable of ['DATABASE_URL', 'REDIS_URL', 'S3_ENDPOINT']) expect(problems.some((p) => p.startsWith(variable))).toBe(true);
  });
});

describe('PAGE_TOKEN_ENCRYPTION_KEY', () => {
  it('is required, and must be 32 bytes of base64', () => {
    const env = minimal();
    delete (env as Partial<typeof env>).PAGE_TOKEN_ENCRYPTION_KEY;

    expect(problemsOf(env)).toEqual([expect.stringMatching(/^PAGE_TOKEN_ENCRYPTION_KEY is missing.*openssl rand -base64 32/)]);
    expect(problemsOf({ ...minimal(), PAGE_TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toEqual([expect.stringMatching(/^PAGE_TOKEN_ENCRYPTION_KEY: .*32 random bytes/)]);
    expect(loadConfig(minimal()).pageTokenKey).toEqual(Buffer.alloc(32, 7));
  });

  it('comes with Graph API defaults that point at Meta, with its 24-hour window for a Page’s calls', () => {
    expect(loadConfig(minimal()).graph).toEqual({
      apiBaseUrl: 'https://graph.facebook.com',
      videoBaseUrl: 'https://graph-video.facebook.com',
      version: 'v25.0',
      requestTimeoutMs: 120_000,
      pageBudgetWindowMs: 24 * 3600 * 1000,
    });
  });
});
