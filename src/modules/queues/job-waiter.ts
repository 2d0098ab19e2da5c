import { HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JobName, JobResults, QueueName } from './job-catalog';
import { JobQueue, TypedJob } from './job-queue.service';
import { RedisClient } from '../redis/redis.module';
import { redisConnectionOptions } from './redis-connection';

const EVENTS_READY_MS = 3000;

/**
 * Waits for a worker's answer to a job a person is waiting on (a worker check, a preview frame).
 * One QueueEvents connection per queue, opened on first use: most API processes never need one.
 */
@Injectable()
export class JobWaiter implements OnModuleDestroy {
  private readonly events = new Map<QueueName, Promise<QueueEvents>>();
  private readonly opened: QueueEvents[] = [];
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly redis: RedisClient,
  ) {}

  /**
   * The job's result, or a 503 saying `whenLate` if no worker finished it in `waitMs`. A job nobody waits
   * for any more is removed, also when the wait could not even begin: nobody would read its answer.
   */
  async result<N extends JobName>(queueName: QueueName, job: TypedJob<N>, waitMs: number, whenLate: string): Promise<JobResults[N]> {
    try {
      const events = await this.queueEvents(queueName);
      return (await job.waitUntilFinished(events, waitMs)) as JobResults[N];
    } catch (error) {
      await job.remove().catch(() => undefined);
      // A job the worker ran and failed carries its own reason; only silence is the worker's absence.
      if (!(error instanceof Error) || !/timed out/i.test(error.message)) throw error;
      throw new AppError(ErrorCode.WorkerUnavailable, whenLate, HttpStatus.SERVICE_UNAVAILABLE);
    }
  }

  private async queueEvents(name: QueueName): Promise<QueueEvents> {
    let opening = this.events.get(name);
    if (!opening) {
      opening = this.open(name);
      this.events.set(name, opening);
      // Asked again after a failure, it tries afresh; one that is only slow (Redis away) is kept and waited for.
      opening.catch(() => this.events.delete(name));
    }
    try {
      const ready = opening.then((events) => events.waitUntilReady());
      await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), EVENTS_READY_MS).unref())]);
      return await opening;
    } catch {
      throw AppError.unavailable('The job queue (Redis)');
    }
  }

  /**
   * Listens from the newest event already in the queue's stream, not from "now" ('$'): QueueEvents sends
   * its first read only after a round trip of its own, and a job that finished in that gap, after
   * waitUntilFinished had looked and found it unfinished, went unheard until the wait ran out. Seen as a
   * worker check that took 15 s through a slow link, on the first wait of a process.
   */
  private async open(name: QueueName): Promise<QueueEvents> {
    const { redis } = this.redis;
    // That connection refuses commands until it is connected (so requests fail fast): right after a start
    // or a reconnect, wait for it instead; the caller's time limit still applies.
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    const stream = this.jobs.queue(name).getBackend().keys.events;
    const [newest] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    if (this.closing) throw new Error('shutting down');
    const events = new QueueEvents(name, {
      connection: redisConnectionOptions(this.config.redis.url, 'worker'),
      prefix: this.config.queues.prefix,
      lastEventId: newest?.[0] ?? '0-0',
    });
    events.on('error', () => undefined);
    this.opened.push(events);
    return events;
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await Promise.all(this.opened.map((events) => events.close()));
  }
}
