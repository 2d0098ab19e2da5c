import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { whileLocked } from '../../common/db/advisory-lock';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { EXPECTED_WORK_SOURCE_KEY, ExpectedJob, ExpectedWorkSource, ReconcileReport } from './expected-work';
import { JobName, QUEUE_OF, QueueName } from './job-catalog';
import { JobDispatcher } from './job-dispatcher';
import { JobHandler } from './job-handler.decorator';
import { JobQueue } from './job-queue.service';
import { JobRecoveriesService } from './job-recoveries.service';
import { JobRecovery } from './job-recovery.entity';

const SCHEDULER_ID = 'reconcile-jobs';
/** One reconciliation at a time across every worker process, so each recovery is counted once. */
const LOCK_KEY = 'migra:job-reconciler';

type Recovery = Pick<JobRecovery, 'action' | 'queue' | 'jobName' | 'jobId' | 'testimonyId'>;

/**
 * PostgreSQL is the source of truth for every job; Redis may lose its data (a restart without
 * persistence, a failover, a flush of the wrong database). The reconciler compares what the rows say
 * is under way with what the queues hold: a missing job is added again with its deterministic id (so
 * a job that still exists is never doubled), and one that failed for good while its row still says
 * "running" is settled by the job's own @JobGaveUp method. It runs once at worker start-up and then as
 * a BullMQ job scheduler; a scheduler that is itself gone (Redis lost it with the rest) is noticed by
 * each worker's own timer and put back, with a reconciliation at once.
 */
@Injectable()
export class JobReconciler implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobReconciler.name);
  private sources: ExpectedWorkSource[] = [];
  private running?: Promise<ReconcileReport>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobs: JobQueue,
    private readonly dispatcher: JobDispatcher,
    private readonly recoveries: JobRecoveriesService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sources = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && Reflect.getMetadata(EXPECTED_WORK_SOURCE_KEY, wrapper.metatype))
      .map((wrapper) => wrapper.instance as ExpectedWorkSource);
  }

  onApplicationBootstrap(): void {
    if (this.config.queues.reconcileIntervalSeconds === 0) return;
    // In the background: with Redis away the worker waits for it, and start-up must not wait with it.
    this.keepScheduled(true).catch((error: Error) => this.logger.warn(`Could not schedule job reconciliation: ${error.message}`));
    this.timer = setInterval(
      () => this.keepScheduled(false).catch((error: Error) => this.logger.warn(`Could not check the reconciliation schedule: ${error.message}`)),
      this.config.queues.reconcileIntervalSeconds * 1000,
    ).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  @JobHandler(JobName.ReconcileJobs)
  reconcileJob(): Promise<ReconcileReport> {
    return this.reconcile();
  }

  /** Runs now, or joins the run already under way in this process. */
  reconcile(): Promise<ReconcileReport> {
    this.running ??= this.reconcileOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async keepScheduled(atStartUp: boolean): Promise<void> {
    const queue = this.jobs.queue(QueueName.System);
    const scheduled = await queue.getJobScheduler(SCHEDULER_ID);
    if (scheduled && !atStartUp) return;
    if (!atStartUp) this.logger.warn('The job reconciliation schedule was gone from Redis, which has lost its data: reconciling now.');
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.queues.reconcileIntervalSeconds * 1000 },
      { name: JobName.ReconcileJobs, data: {}, opts: { attempts: 1, removeOnComplete: 10, removeOnFail: 10 } },
    );
    await this.reconcile();
  }

  private async reconcileOnce(): Promise<ReconcileReport> {
    const run = await whileLocked(this.db, LOCK_KEY, () => this.compare());
    return run.ran ? run.value : { requeued: 0, settled: 0 };
  }

  private async compare(): Promise<ReconcileReport> {
    const recovered: Recovery[] = [];
    for (const source of this.sources) {
      for (const expected of await source.expectedJobs()) {
        const action = await this.recover(expected);
        if (action) recovered.push({ action, queue: QUEUE_OF[expected.name], jobName: expected.name, jobId: expected.jobId, testimonyId: expected.testimonyId });
      }
    }
    await this.recoveries.record(recovered);
    const report = { requeued: recovered.filter((r) => r.action === 'requeued').length, settled: recovered.filter((r) => r.action === 'settled').length };
    if (recovered.length > 0) this.logger.warn(`Job reconciliation: ${report.requeued} lost job(s) added again, ${report.settled} failed job(s) settled.`);
    return report;
  }

  private async recover(expected: ExpectedJob): Promise<Recovery['action'] | null> {
    const queue = this.jobs.queue(QUEUE_OF[expected.name]);
    const job = (await queue.getJob(expected.jobId)) as Job | undefined;
    const state = job ? await job.getState() : 'missing';
    if (state === 'missing' || ((state === 'completed' || state === 'failed') && expected.rerunIf?.includes(state))) {
      if (job) await job.remove();
      // The payload type follows from the name in the ExpectedJob union; enqueue cannot see through it.
      await this.jobs.enqueue(expected.name, expected.data as never, { ...expected.options, jobId: expected.jobId });
      this.logger.warn(`Job ${expected.jobId} (${expected.name}) was ${state} although PostgreSQL says it is under way: added again.`);
      return 'requeued';
    }
    if (state !== 'failed') return null;
    await this.dispatcher.gaveUp(job!, new Error(job!.failedReason || 'the job failed'));
    this.logger.warn(`Job ${expected.jobId} (${expected.name}) had failed for good but its row still said it was under way: settled.`);
    return 'settled';
  }
}
