/** What every bench section shares: the result table, timers and a streamed byte source. */
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { FFMPEG_NICENESS } from '../src/modules/media/ffmpeg-runner';

export const MB = 1024 * 1024;

/** The environment of the bench's own database, Redis prefix and s3rver (see run.ts). */
export type BenchEnv = Record<string, string>;

export interface Row {
  what: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
}
export const rows: Row[] = [];

export function note(what: string, ours: string, baseline: string, ratio: string, target: string): void {
  rows.push({ what, ours, baseline, ratio, target });
}

/** ratio is always ours / baseline; the target says which way is good. */
export function record(what: string, ours: number, baseline: number, unit: string, target: string): void {
  rows.push({ what, ours: `${ours.toFixed(1)} ${unit}`, baseline: `${baseline.toFixed(1)} ${unit}`, ratio: `${(ours / baseline).toFixed(2)}x`, target });
}

/** Pseudo-random bytes, produced as read: the source never sits in memory whole. */
export function randomStream(bytes: number): Readable {
  let left = bytes;
  let seed = 1;
  return new Readable({
    read() {
      if (left <= 0) return this.push(null);
      const chunk = Buffer.allocUnsafe(Math.min(left, MB));
      for (let i = 0; i < chunk.length; i += 4) {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        chunk.writeUInt32LE(seed, i);
      }
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

const execFileAsync = promisify(execFile);

/**
 * Bare ffmpeg, for the baselines: at the nice value the worker gives its own ffmpeg, so that load from
 * elsewhere on the machine slows both sides alike. Timed un-niced, the baseline took 15.6 s against
 * 27.2 s for the same decode niced while another process kept the two cores busy, and equal times when
 * they were idle: a ratio that measured the scheduler, not the pipeline.
 */
export function bareFfmpeg(args: string[]): Promise<unknown> {
  return execFileAsync('nice', ['-n', String(FFMPEG_NICENESS), 'ffmpeg', '-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

export async function time<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = process.hrtime.bigint();
  const value = await run();
  return [Number(process.hrtime.bigint() - started) / 1e6, value];
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Peak RSS growth while `run` executes, sampled every 20 ms. */
export async function peakRssGrowth<T>(run: () => Promise<T>): Promise<[number, T]> {
  global.gc?.();
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const value = await run();
    return [(peak - start) / MB, value];
  } finally {
    clearInterval(timer);
  }
}


export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Peak resident memory of another process so far (VmHWM), in MB. */
export function peakRssOf(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The unit of /proc's CPU times: fixed at 100 per second for user space on Linux. */
const USER_HZ = 100;

/** CPU time another process has used so far (user + system), in ms. */
export function cpuMsOf(pid: number): number {
  const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
  // Fields after the command name, which may itself hold spaces; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/** Waits for an API process started by a bench section to answer /health. */
export async function waitForReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`${url}/health`).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not start');
}
