import { HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JobName, JobResults, QueueName } from './job-catalog';
import { TypedJob } from './job-queue.service';
import { redisConnectionOptions } from './redis-connection';

const EVENTS_READY_MS = 3000;

/**
 * Waits for a worker's answer to a job a person is waiting on (a worker check, a preview frame).
 * One QueueEvents connection per queue, opened on first use: most API processes never need one.
 */
@Injectable()
export class JobWaiter implements OnModuleDestroy {
  private readonly events = new Map<QueueName, QueueEvents>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The job's result, or a 503 saying `whenLate` if no worker finished it in `waitMs`; a late job is removed. */
  async result<N extends JobName>(queueName: QueueName, job: TypedJob<N>, waitMs: number, whenLate: string): Promise<JobResults[N]> {
    const events = await this.queueEvents(queueName);
    try {
      return (await job.waitUntilFinished(events, waitMs)) as JobResults[N];
    } catch (error) {
      await job.remove().catch(() => undefined);
      // A job the worker ran and failed carries its own reason; only silence is the worker's absence.
      if (!(error instanceof Error) || !/timed out/i.test(error.message)) throw error;
      throw new AppError(ErrorCode.WorkerUnavailable, whenLate, HttpStatus.SERVICE_UNAVAILABLE);
    }
  }

  private async queueEvents(name: QueueName): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      events = new QueueEvents(name, {
        connection: redisConnectionOptions(this.config.redis.url, 'worker'),
        prefix: this.config.queues.prefix,
      });
      events.on('error', () => undefined);
      this.events.set(name, events);
    }
    try {
      const ready = events.waitUntilReady();
      await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), EVENTS_READY_MS).unref())]);
    } catch {
      throw AppError.unavailable('The job queue (Redis)');
    }
    return events;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.events.values()].map((events) => events.close()));
  }
}
