import { Inject, Injectable } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { FfmpegCancelledError, FfmpegFailedError, FfmpegTimeoutError } from './ffmpeg-errors';
import { ProgressParser } from './ffmpeg-progress';
import { FfmpegOutcome, FfmpegRunOptions, MediaCommandRunner } from './media.ports';
import { recordProcessGroup } from './process-groups';

const STDERR_TAIL_LINES = 20;
const NICE_CANDIDATES = ['/usr/bin/nice', '/bin/nice'];
/** ffmpeg's nice value: a transcode yields the CPU to the API, whose requests are short. Benchmarks run their bare ffmpeg at it too. */
export const FFMPEG_NICENESS = 10;

interface Watch {
  timeoutSeconds: number;
  /** Kill when no progress line arrives for this long; ffprobe prints no progress, so it has none. */
  stallSeconds?: number;
  progress?: ProgressParser;
  signal?: AbortSignal;
}

/**
 * Runs ffmpeg and ffprobe as child processes. A direct spawn rather than fluent-ffmpeg: we need a
 * stall watchdog, SIGKILL of the whole process group, `nice` and typed errors, and fluent-ffmpeg
 * hides the process behind its own events and option builder, so we would be fighting it for each.
 */
@Injectable()
export class FfmpegRunner implements MediaCommandRunner {
  private readonly nice = NICE_CANDIDATES.find((path) => existsSync(path));

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async ffmpeg(args: string[], options: FfmpegRunOptions = {}): Promise<FfmpegOutcome> {
    const { ffmpegPath, ffmpegTimeoutSeconds, ffmpegStallSeconds } = this.config.media;
    const progress = new ProgressParser(options.durationMs, (percent) => options.onProgress?.(percent));
    // -timelimit (CPU seconds) bounds an ffmpeg whose worker was SIGKILLed: it leads its own process group,
    // so nothing else would stop it, and Node's ignored SIGPIPE means a closed progress pipe does not either.
    // It counts CPU time, which a multi-threaded encode spends faster than wall time: scaled by the cores,
    // so it never cuts a run that the wall-clock timeout would still allow.
    const guard = ['-timelimit', String(ffmpegTimeoutSeconds * availableParallelism())];
    // -loglevel error: at its default level ffmpeg lists every tag of the input (location, device) on
    // stderr, and the tail of stderr becomes the failure reason people read.
    await this.run(ffmpegPath, ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error', ...guard, '-progress', 'pipe:1', ...args], {
      timeoutSeconds: ffmpegTimeoutSeconds,
      stallSeconds: ffmpegStallSeconds,
      progress,
      signal: options.signal,
    });
    return { outputMs: progress.outputMs };
  }

  ffprobe(args: string[], signal?: AbortSignal): Promise<string> {
    // ffprobe only reads headers: if it needs longer than the stall limit, it is stuck.
    const { ffprobePath, ffmpegStallSeconds } = this.config.media;
    return this.run(ffprobePath, ['-hide_banner', ...args], { timeoutSeconds: ffmpegStallSeconds, signal });
  }

  private run(binary: string, args: string[], watch: Watch): Promise<string> {
    return new Promise((resolve, reject) => {
      if (watch.signal?.aborted) return reject(new FfmpegCancelledError());
      // detached: the child leads its own process group, so a SIGKILL to the group also reaches
      // anything it started (a wrapper script's children included).
      const child = this.nice
        ? spawn(this.nice, ['-n', String(FFMPEG_NICENESS), binary, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      if (!this.nice) child.once('spawn', () => lowerPriority(child));
      if (child.pid !== undefined) recordProcessGroup(child.pid);

      const stderrTail: string[] = [];
      let stdout = '';
      let killedBy: Error | undefined;
      const kill = (reason: Error) => {
        killedBy ??= reason;
        killGroup(child);
      };

      const overall = setTimeout(() => kill(new FfmpegTimeoutError('timeout', watch.timeoutSeconds, stderrTail)), watch.timeoutSeconds * 1000);
      let stall: NodeJS.Timeout | undefined;
      const armStallTimer = () => {
        if (watch.stallSeconds === undefined) return;
        clearTimeout(stall);
        stall = setTimeout(() => kill(new FfmpegTimeoutError('stall', watch.stallSeconds!, stderrTail)), watch.stallSeconds * 1000);
      };
      armStallTimer();
      const onAbort = () => kill(new FfmpegCancelledError());
      watch.signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        if (!watch.progress) stdout += chunk;
        else if (watch.progress.push(chunk) > 0) armStallTimer();
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => keepTail(stderrTail, chunk));

      const settle = (error?: Error) => {
        clearTimeout(overall);
        clearTimeout(stall);
        watch.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(stdout);
      };
      child.once('error', (error) => settle(killedBy ?? new FfmpegFailedError(null, null, [error.message])));
      child.once('close', (code, signal) => {
        if (killedBy) settle(killedBy);
        else if (code === 0) settle();
        else settle(new FfmpegFailedError(code, signal, stderrTail));
      });
    });
  }
}

function keepTail(tail: string[], chunk: string): void {
  for (const line of chunk.split('\n')) {
    if (line.trim()) tail.push(line.trim());
  }
  tail.splice(0, Math.max(0, tail.length - STDERR_TAIL_LINES));
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is already gone, or was never created
  }
}

/** Without `nice`, lower the priority after the fact; a failure only costs responsiveness, not correctness. */
function lowerPriority(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) setPriority(child.pid, FFMPEG_NICENESS);
  } catch {
    // not permitted in some containers; the job still runs
  }
}
