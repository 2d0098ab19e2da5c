import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TcpProxy } from './tcp-proxy';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** A TcpProxy in front of a URL's host and port, that remembers whether it is cut (so cleanup can restore it). */
export class Link {
  readonly proxy: TcpProxy;
  private up = false;

  constructor(target: string, defaultPort: number) {
    const url = new URL(target);
    this.proxy = new TcpProxy(url.hostname, url.port ? Number(url.port) : defaultPort);
  }

  get port(): number {
    return this.proxy.port;
  }

  get isCut(): boolean {
    return !this.up;
  }

  async start(): Promise<number> {
    const port = await this.proxy.start();
    this.up = true;
    return port;
  }

  async cut(): Promise<void> {
    if (!this.up) return;
    this.up = false;
    await this.proxy.cut();
  }

  async restore(): Promise<void> {
    if (this.up) return;
    await this.proxy.restore();
    this.up = true;
  }

  /** Stops listening for good; safe to call twice and on a link that never started. */
  close(): Promise<void> {
    return this.cut();
  }
}

/** Same URL with host and port replaced by the proxy's. */
export function throughLink(target: string, link: Link): string {
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(link.port);
  return url.toString().replace(/\/$/, '');
}

/** Polls until `check` returns a truthy value, or throws the last failure after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | false | undefined | null>, timeoutMs = 15_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message ?? String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A port nothing listens on (bound and released at once). */
export function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The compiled API entry point: dist/main.js when it is at least as new as src/, otherwise a fresh
 * build in a temporary folder (never `nest build`, which would delete the dist/ others use).
 */
export async function apiEntryPoint(): Promise<{ main: string; cleanup(): void }> {
  const dist = join(REPO_ROOT, 'dist', 'main.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(join(REPO_ROOT, 'src'))) {
    return { main: dist, cleanup: () => undefined };
  }
  const out = mkdtempSync(join(tmpdir(), 'migra-api-build-'));
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const cleanup = () => rmSync(out, { recursive: true, force: true });
  try {
    await new Promise<void>((done, fail) =>
      execFile(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out, '--incremental', 'false'], { cwd: REPO_ROOT, timeout: 45_000 }, (error, stdout, stderr) =>
        error ? fail(new Error(`tsc failed: ${stdout}${stderr}`)) : done(),
      ),
    );
  } catch (error) {
    cleanup();
    throw error;
  }
  return { main: join(out, 'main.js'), cleanup };
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const running = new Set<ChildProcess>();

/** Runs `node <script>` with exactly `env` (plus PATH and NODE_PATH); kills it after `timeoutMs`. */
export function runNode(script: string, env: Record<string, string>, timeoutMs: number): Promise<Exited> {
  const started = Date.now();
  const child = spawn(process.execPath, [script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done, fail) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      fail(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Kills any process runNode started that is still running (for afterAll). */
export function killStragglers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
