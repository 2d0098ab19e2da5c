import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { HEARTBEAT_INTERVAL_MS, WorkerHeartbeat } from './worker-heartbeat.service';

const withFile = (heartbeatFile?: string) => new WorkerHeartbeat({ queues: { heartbeatFile } } as AppConfig);

describe('WorkerHeartbeat', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'migra-heartbeat-'));
    jest.useFakeTimers({ now: new Date('2026-11-30T08:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the file at start and again on every beat, and removes it when the worker stops', () => {
    const file = join(dir, 'worker.alive');
    const heartbeat = withFile(file);

    heartbeat.onApplicationBootstrap();
    expect(readFileSync(file, 'utf8')).toBe('2026-11-30T08:00:00.000Z\n');

    jest.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(readFileSync(file, 'utf8')).toBe('2026-11-30T08:00:10.000Z\n');

    heartbeat.onApplicationShutdown();
    expect(existsSync(file)).toBe(false);
    jest.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(existsSync(file)).toBe(false);
  });

  it('keeps the worker running when the file cannot be written', () => {
    const heartbeat = withFile(join(dir, 'missing-folder', 'worker.alive'));
    expect(() => heartbeat.onApplicationBootstrap()).not.toThrow();
    expect(() => jest.advanceTimersByTime(HEARTBEAT_INTERVAL_MS)).not.toThrow();
    heartbeat.onApplicationShutdown();
  });

  it('writes nothing when no file is configured', () => {
    const heartbeat = withFile(undefined);
    heartbeat.onApplicationBootstrap();
    jest.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    heartbeat.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });
});
