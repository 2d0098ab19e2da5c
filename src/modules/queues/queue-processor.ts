import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JobDispatcher } from './job-dispatcher';
import { isFinalFailure, JobFailuresService } from './job-failures.service';

/**
 * What every queue's worker does: run the job's handler, and write each failure where admins see it.
 * Subclasses only bind it to a queue with @Processor.
 */
export abstract class QueueProcessor extends WorkerHost implements OnApplicationBootstrap {
  protected readonly logger = new Logger(this.constructor.name);

  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly failures: JobFailuresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.queues.workerConcurrency;
  }

  process(job: Job): Promise<unknown> {
    return this.dispatcher.dispatch(job);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    this.logger.warn(`Job ${job.name} ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`);
    await this.failures.record(this.worker.name, job, error).catch((e: Error) => this.logger.error(`Could not record failure: ${e.message}`));
    if (isFinalFailure(job, error)) {
      await this.dispatcher.gaveUp(job, error).catch((e: Error) => this.logger.error(`Could not settle job ${job.id}: ${e.message}`));
    }
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`Worker ${this.worker.name}: ${error.message}`);
  }
}
