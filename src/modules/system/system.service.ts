import { HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AuthUser } from '../auth/auth-user';
import { JobName, QueueName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { redisConnectionOptions } from '../queues/redis-connection';
import { WorkerCheckResult } from './worker-check';

const WAIT_MS = 15_000;

@Injectable()
export class SystemService implements OnModuleDestroy {
  private events?: QueueEvents;

  constructor(
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sends a check through the real queue and waits for a worker's answer. */
  async checkWorker(actor: AuthUser): Promise<WorkerCheckResult> {
    const events = await this.queueEvents();
    // One attempt: a check that waits through retries would answer long after the admin gave up.
    const job = await this.jobs.enqueue(JobName.WorkerCheck, { requestedBy: actor.username }, { attempts: 1, removeOnComplete: 100, removeOnFail: 100 });
    try {
      return (await job.waitUntilFinished(events, WAIT_MS)) as WorkerCheckResult;
    } catch {
      await job.remove().catch(() => undefined);
      throw new AppError(
        ErrorCode.WorkerUnavailable,
        `No worker answered within ${WAIT_MS / 1000} seconds. Check that the worker process is running (npm run start:worker) and look at its log.`,
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = new QueueEvents(QueueName.System, {
        connection: redisConnectionOptions(this.config.redis.url, 'worker'),
        prefix: this.config.queues.prefix,
      });
      this.events.on('error', () => undefined);
    }
    try {
      await Promise.race([this.events.waitUntilReady(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref())]);
    } catch {
      throw AppError.unavailable('The job queue (Redis)');
    }
    return this.events;
  }

  async onModuleDestroy(): Promise<void> {
    await this.events?.close();
  }
}
