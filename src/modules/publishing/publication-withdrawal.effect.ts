import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WithdrawalEffects } from '../consent/withdrawal-effects';
import { StepState, WithdrawalStepName } from '../consent/withdrawal.entity';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { heldByMeta, LIVE_STATES, Publication, PublicationState } from './publication.entity';
import { takeDownJobOptions } from './publishing.job';

/**
 * What a withdrawn consent does to publications, in the withdrawal's own transaction: schedules are
 * cancelled at once, and everything that is (or may be) on the Page gets a takedown, which the worker
 * carries out and confirms. The withdrawal's steps say which of these there were.
 */
@Injectable()
export class PublicationWithdrawalEffect implements OnModuleInit {
  private readonly logger = new Logger(PublicationWithdrawalEffect.name);

  constructor(
    private readonly effects: WithdrawalEffects,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.effects.register({ apply: (em, testimonyId) => this.apply(em, testimonyId) });
  }

  private async apply(em: EntityManager, testimonyId: string) {
    // Not only the live states: a failed or cancelled row that holds a Graph id may name something Meta
    // still has (a video whose processing failed, an upload left unfinished), and that goes too.
    const live = await em
      .getRepository(Publication)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.testimonyId = :testimonyId', { testimonyId })
      .andWhere('(p.state IN (:...live) OR ((p.postId IS NOT NULL OR p.videoId IS NOT NULL OR p.photoId IS NOT NULL) AND p.takedownRequestedAt IS NULL))', { live: LIVE_STATES })
      .getMany();
    const cancelled = live.filter((p) => p.state === PublicationState.Scheduled && !heldByMeta(p));
    const toRemove = live.filter((p) => !cancelled.includes(p));
    const now = new Date();
    for (const p of cancelled) await em.getRepository(Publication).update(p.id, { state: PublicationState.Cancelled, version: p.version + 1, errorKind: 'withdrawn' });
    for (const p of toRemove) {
      // A post Facebook holds for later, or an upload paused half-way, is cancelled there; anything out is taken down.
      const state = p.state === PublicationState.Scheduled ? PublicationState.Cancelled : p.state;
      await em.getRepository(Publication).update(p.id, { state, version: p.state === PublicationState.Scheduled ? p.version + 1 : p.version, takedownRequestedAt: now });
    }
    const scheduled = live.filter((p) => p.state === PublicationState.Scheduled).length;
    return {
      steps: {
        [WithdrawalStepName.SchedulesCancelled]: { state: scheduled > 0 ? StepState.Done : StepState.NotNeeded, detail: { cancelled: scheduled } },
        [WithdrawalStepName.PageTakedown]: { state: toRemove.length > 0 ? StepState.Pending : StepState.NotNeeded, detail: { posts: toRemove.length } },
      },
      afterCommit: async () => {
        for (const p of toRemove) {
          // runNow: an earlier takedown job of the publication (a cancelled hold) may still hold the id.
          await this.jobs
            .runNow(JobName.TakeDownPublication, { publicationId: p.id }, takeDownJobOptions(p.id))
            .catch((error: Error) => this.logger.warn(`Takedown of ${p.id} is recorded; the reconciler adds its job: ${error.message}`));
        }
      },
    };
  }
}
