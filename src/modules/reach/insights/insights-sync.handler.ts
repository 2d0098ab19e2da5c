import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { JobName, QueueName } from '../../queues/job-catalog';
import { JobHandler } from '../../queues/job-handler.decorator';
import { JobQueue } from '../../queues/job-queue.service';
import { InsightsSyncResult } from './insights-sync.job';
import { InsightsSyncService, SyncPaused } from './insights-sync.service';

/**
 * Runs the insights sync on a BullMQ job scheduler, on the publishing queue so it shares the Page's
 * pace with publishing. A run that had to pause, or gave the queue back after its slice, queues its own
 * follow-up for when the Page has room again, instead of waiting for the next scheduled run.
 */
@Injectable()
export class InsightsSyncHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(InsightsSyncHandler.name);

  constructor(
    private readonly sync: InsightsSyncService,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const minutes = this.config.reach.syncIntervalMinutes;
    const queue = this.jobs.queue(QueueName.Publishing);
    // The scheduler lives in Redis: turning the setting to 0 must remove the one an earlier start made.
    const scheduled =
      minutes === 0
        ? queue.removeJobScheduler(JobName.InsightsSync)
        : queue.upsertJobScheduler(JobName.InsightsSync, { every: minutes * 60_000 }, { name: JobName.InsightsSync, data: { reason: 'scheduled' } });
    await scheduled.catch((error: Error) => this.logger.warn(`Could not (un)schedule the insights sync; the next worker start tries again: ${error.message}`));
  }

  @JobHandler(JobName.InsightsSync)
  async run(): Promise<InsightsSyncResult> {
    return this.runOnce();
  }

  /** One sync; a pause queues the next try for when the Page has room again. */
  async runOnce(now = new Date()): Promise<InsightsSyncResult> {
    try {
      return await this.sync.sync(now);
    } catch (error) {
      if (!(error instanceof SyncPaused)) throw error;
      if (error.resumeAfterMs !== null) {
        const at = Date.now() + error.resumeAfterMs;
        const reason = error.outcome === 'more_due' ? 'more_due' : 'after_throttle';
        await this.jobs.enqueue(JobName.InsightsSync, { reason }, { jobId: `insights-sync-at-${at}`, delay: error.resumeAfterMs });
      }
      return { outcome: error.outcome, ...error.progress };
    }
  }
}
