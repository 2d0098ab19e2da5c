import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/app-config';

/**
 * The deployment, checked without Docker: docker-compose.yml and the Dockerfile as files. What they
 * do when run (images pulled, SeaweedFS answering) needs a Docker engine, which the test machines lack.
 */

const ROOT = resolve(__dirname, '..');
const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
}
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);

const SECRET = /SECRET|PASSWORD|KEY|TOKEN/;
/** ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; $$ is a literal $ for the shell. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;
const unescaped = (text: string): string => text.replace(/\$\$/g, '');

/** What compose makes of a value when the operator sets only the variables given. */
function interpolate(text: string, given: Record<string, string>): string {
  return unescaped(text).replace(VARIABLE, (_, name: string, operator: string | undefined, rest: string | undefined) => {
    if (given[name]) return given[name];
    if (operator?.endsWith('-')) return rest ?? '';
    if (operator?.endsWith('?')) throw new Error(`${name} must be set: ${rest}`);
    return '';
  });
}

const requiredVariables = [...unescaped(composeText).matchAll(VARIABLE)].filter((m) => m[2]?.endsWith('?')).map((m) => m[1]);
/** What an operator sets: every variable compose refuses to start without, and nothing else. */
// What an operator sets, in the shape each secret must have (the Page-token key is 32 bytes in base64).
const operatorSettings = Object.fromEntries(
  requiredVariables.map((name) => [name, name === 'PAGE_TOKEN_ENCRYPTION_KEY' ? Buffer.alloc(32, 7).toString('base64') : `set-by-operator-${name.toLowerCase()}-0123456789abcdef`]),
);

const IMAGE_HEALTHCHECK = /^HEALTHCHECK .*\bCMD\b/m.exec(dockerfile.replace(/\\\n\s*/g, ' '))?.[0];

const isOneShot = (service: Service): boolean => service.restart === 'no';
const APP_SERVICES = ['api', 'worker', 'migrate', 'create-bucket'];

describe('Deployment (docker-compose.yml and the Dockerfile, read as files)', () => {
  it('pins every image to a release: no :latest, no missing tag', () => {
    const pinned = /^[a-z0-9./_-]+:(?!latest$)[\w.-]*\d+\.\d+[\w.-]*$/;
    for (const [name, service] of services) {
      const image = interpolate(service.image ?? '', operatorSettings);
      // Our own image is built here from the Dockerfile, whose base images are checked below.
      const expected = service.build ? /^[a-z0-9./_-]+:(?!latest$)[\w.-]+$/ : pinned;
      expect({ service: name, image }).toEqual({ service: name, image: expect.stringMatching(expected) });
    }

    const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1].replace(/^\$\{(\w+)\}$/, (_, arg: string) => args[arg] ?? ''));
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    const frontend = /^# syntax=(\S+)$/m.exec(dockerfile)?.[1];
    for (const image of [...bases.filter((b) => !stages.includes(b)), frontend]) {
      expect(image).toMatch(pinned);
    }
  });

  it('gives every long-running service a health check, and runs one-shot tasks to completion only', () => {
    for (const [name, service] of services) {
      if (isOneShot(service)) {
        expect({ service: name, command: service.command }).toEqual({ service: name, command: expect.any(Array) });
        continue;
      }
      expect({ service: name, restart: service.restart }).toEqual({ service: name, restart: 'unless-stopped' });
      expect({ service: name, disabled: service.healthcheck?.disable === true }).toEqual({ service: name, disabled: false });
      // A service built from the Dockerfile may rely on the image's own HEALTHCHECK.
      const check = service.healthcheck?.test ?? (service.build ? IMAGE_HEALTHCHECK : undefined);
      expect({ service: name, check }).toEqual({ service: name, check: expect.anything() });
    }
  });

  it('starts the API and the worker only once every other service is healthy, migrations ran and the bucket exists', () => {
    const others = services.filter(([name]) => !['api', 'worker'].includes(name));
    const expected = Object.fromEntries(
      others.map(([name, service]) => [name, { condition: isOneShot(service) ? 'service_completed_successfully' : 'service_healthy' }]),
    );
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['postgres', 'redis', 'seaweedfs', 'migrate', 'create-bucket']));
    expect(compose.services.api.depends_on).toEqual(expected);
    expect(compose.services.worker.depends_on).toEqual(expected);
    // Migrations need only the database; the bucket only the storage.
    expect(compose.services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(compose.services['create-bucket'].depends_on).toEqual({ seaweedfs: { condition: 'service_healthy' } });
  });

  it('gives no secret a default: compose refuses to start until the operator sets each one', () => {
    const secrets = [...unescaped(composeText).matchAll(VARIABLE)].filter((m) => SECRET.test(m[1]));
    expect(secrets.map((m) => m[1])).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'SEAWEEDFS_ACCESS_KEY', 'SEAWEEDFS_SECRET_KEY', 'JWT_SECRET']));
    for (const [text, name, operator, message] of secrets) {
      expect({ variable: text, refusedWhenUnset: operator === ':?' && (message ?? '').length > 0 }).toEqual({ variable: text, refusedWhenUnset: true });
      expect(() => interpolate(text, {})).toThrow(name);
    }
    // Nor is a secret written into a service as a literal value.
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET.test(key)) expect({ service: name, key, fromVariable: /\$\{\w+:\?/.test(String(value)) }).toEqual({ service: name, key, fromVariable: true });
      }
    }
  });

  it('runs the API, the worker, migrations and bucket creation from one image with one configuration', () => {
    const [first, ...rest] = APP_SERVICES.map((name) => compose.services[name]);
    for (const service of rest) {
      expect({ image: service.image, build: service.build }).toEqual({ image: first.image, build: first.build });
      expect(service.build).toBe('.');
    }
    // Only the worker adds one setting of its own: the file its health check reads.
    const shared = first.environment ?? {};
    for (const name of APP_SERVICES) {
      const { WORKER_HEARTBEAT_FILE, ...environment } = compose.services[name].environment ?? {};
      expect({ service: name, environment }).toEqual({ service: name, environment: shared });
      expect({ service: name, heartbeat: WORKER_HEARTBEAT_FILE !== undefined }).toEqual({ service: name, heartbeat: name === 'worker' });
    }
  });

  it('passes the app only settings .env.example documents, and every setting its configuration requires', () => {
    const documented = new Set([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    for (const name of APP_SERVICES) {
      const environment = compose.services[name].environment ?? {};
      const undocumented = Object.keys(environment).filter((key) => !documented.has(key));
      expect({ service: name, undocumented }).toEqual({ service: name, undocumented: [] });

      // Exactly what the container gets once the operator has set the required variables: it must start.
      const resolved = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value), operatorSettings)]));
      const config = loadConfig(resolved);
      expect(config).toMatchObject({
        env: 'production',
        database: { migrateOnStart: false },
        redis: { url: 'redis://redis:6379/0' },
        s3: { endpoint: 'http://seaweedfs:8333', publicEndpoint: 'http://localhost:8333', forcePathStyle: true },
      });
      // The app's S3 keys are the storage server's keys, not a second pair that could drift apart.
      expect(config.s3.credentials).toEqual({
        accessKeyId: operatorSettings.SEAWEEDFS_ACCESS_KEY,
        secretAccessKey: operatorSettings.SEAWEEDFS_SECRET_KEY,
      });
    }
    const storage = compose.services.seaweedfs.environment ?? {};
    expect(Object.keys(storage).sort()).toEqual(['SEAWEEDFS_ACCESS_KEY', 'SEAWEEDFS_SECRET_KEY']);
  });

  it('keeps the storage private and the queues durable', () => {
    const storage = compose.services.seaweedfs;
    const script = String(storage.command);
    // An identities file with no anonymous identity is what makes SeaweedFS refuse unsigned requests.
    expect(script).toMatch(/-s3\.config=(\S+)/);
    expect(script).toContain('"identities"');
    expect(script).not.toMatch(/anonymous/i);

    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
  });
});
