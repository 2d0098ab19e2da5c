import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { WithdrawalEffects } from '../consent/withdrawal-effects';
import { StepState, WithdrawalStepName } from '../consent/withdrawal.entity';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { LIVE_STATES, Publication, PublicationState } from './publication.entity';
import { takeDownJobId } from './publishing.job';

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
    const live = await em.getRepository(Publication).find({ where: { testimonyId, state: In(LIVE_STATES) }, lock: { mode: 'pessimistic_write' } });
    const cancelled = live.filter((p) => p.state === PublicationState.Scheduled && !p.handedToFacebook);
    const toRemove = live.filter((p) => !cancelled.includes(p));
    const now = new Date();
    for (const p of cancelled) await em.getRepository(Publication).update(p.id, { state: PublicationState.Cancelled, version: p.version + 1, errorKind: 'withdrawn' });
    for (const p of toRemove) {
      // A post Facebook holds for later is cancelled there; anything already out is taken down.
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
          await this.jobs
            .enqueue(JobName.TakeDownPublication, { publicationId: p.id }, { jobId: takeDownJobId(p.id), attempts: 20 })
            .catch((error: Error) => this.logger.warn(`Takedown of ${p.id} is recorded; the reconciler adds its job: ${error.message}`));
        }
      },
    };
  }
}
