import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { JobName, QueueName } from '../queues/job-catalog';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobQueue } from '../queues/job-queue.service';
import { storageKeys } from '../storage/storage-keys';
import { StorageService } from '../storage/storage.service';
import { Asset } from '../testimonies/asset.entity';
import { StepState, Withdrawal, WithdrawalStep, WithdrawalStepName } from './withdrawal.entity';

const HOUR_MS = 3600 * 1000;

/**
 * Deletes the media of withdrawn items once their grace period is over, unless an admin kept it. The
 * database says what is due, so a sweep lost with Redis simply runs at the next hour. Asset rows go with
 * the files, so no link can ever be signed for an object that is gone.
 */
@Injectable()
export class WithdrawalMediaPurgeHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(WithdrawalMediaPurgeHandler.name);

  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs
      .queue(QueueName.System)
      .upsertJobScheduler(JobName.WithdrawalMediaPurge, { every: HOUR_MS }, { name: JobName.WithdrawalMediaPurge, data: {} })
      .catch((error: Error) => this.logger.warn(`Could not schedule the hourly media purge; it starts with the next worker: ${error.message}`));
  }

  @JobHandler(JobName.WithdrawalMediaPurge)
  async run(): Promise<{ purged: number }> {
    return { purged: await this.purgeDue(new Date()) };
  }

  async purgeDue(now: Date): Promise<number> {
    const due = await this.db.getRepository(Withdrawal).find({
      where: { mediaPurgeDueAt: LessThanOrEqual(now), steps: { step: WithdrawalStepName.MediaDeleted, state: StepState.Pending } },
    });
    let purged = 0;
    for (const w of due) {
      if (!w.testimonyId || w.mediaKeptById) continue;
      const testimonyId = w.testimonyId;
      const objects = await this.storage.deletePrefix(storageKeys.testimonyPrefix(testimonyId));
      await this.db.transaction(async (em) => {
        await em.getRepository(Asset).delete({ testimonyId });
        await em
          .getRepository(WithdrawalStep)
          .update({ withdrawalId: w.id, step: WithdrawalStepName.MediaDeleted, state: StepState.Pending }, { state: StepState.Done, doneAt: new Date(), detail: { objects } });
        await this.audit.record({ actor: null, action: 'withdrawal.media_deleted', target: { type: 'testimony', id: testimonyId }, details: { withdrawalId: w.id, objects } }, em);
      });
      purged += 1;
    }
    return purged;
  }
}
