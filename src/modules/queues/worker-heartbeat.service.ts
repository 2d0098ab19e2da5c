import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { rmSync, writeFileSync } from 'node:fs';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

export const HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * The worker serves no HTTP, so a container health check reads this file instead: it is rewritten
 * every few seconds while the worker's event loop runs, and goes stale when the process hangs.
 * ffmpeg runs in child processes, so a long transcode does not hold the beat back.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  private readonly file: string | undefined;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.file = config.queues.heartbeatFile;
  }

  onApplicationBootstrap(): void {
    if (!this.file) return;
    this.beat(this.file);
    this.timer = setInterval(() => this.beat(this.file as string), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /** A stopping worker takes no new jobs: it is no longer reported healthy. */
  onApplicationShutdown(): void {
    clearInterval(this.timer);
    if (this.file) rmSync(this.file, { force: true });
  }

  // A file that cannot be written (disk full) is what the health check then reports; crashing
  // the worker over it would cut off the jobs in hand.
  private beat(file: string): void {
    try {
      writeFileSync(file, `${new Date().toISOString()}\n`);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`Cannot write the heartbeat file ${file}: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
