import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { JobName } from '../queues/job-catalog';
import { JobQueue } from '../queues/job-queue.service';
import { ApprovalExits } from '../testimonies/approval-exits';
import { heldByMeta, Publication, PublicationState } from './publication.entity';
import { takeDownJobOptions } from './publishing.job';

/**
 * The takedown job looks at the row after this transaction commits; it is added from inside it, so it
 * waits this long. Should Redis refuse, the reconciler adds it from the row.
 */
const AFTER_COMMIT_MS = 5000;

/**
 * An item that leaves approval (new caption words, changed consent, processed again) takes its scheduled
 * publications with it: they pinned files and words an editor no longer stands behind. A post Facebook
 * already holds for its time is deleted there, or Facebook would publish it all the same.
 */
@Injectable()
export class PublicationApprovalExitEffect implements OnModuleInit {
  private readonly logger = new Logger(PublicationApprovalExitEffect.name);

  constructor(
    private readonly exits: ApprovalExits,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.exits.register((em, testimonyId) => this.cancel(em, testimonyId));
  }

  private async cancel(em: EntityManager, testimonyId: string): Promise<void> {
    const scheduled = await em.getRepository(Publication).find({ where: { testimonyId, state: PublicationState.Scheduled }, lock: { mode: 'pessimistic_write' } });
    for (const p of scheduled) {
      const onFacebook = heldByMeta(p);
      await em.getRepository(Publication).update(p.id, {
        state: PublicationState.Cancelled,
        version: p.version + 1,
        errorKind: 'not_approved',
        errorMessage: 'The item went back to review after it was scheduled. Approve it again, then schedule it again.',
        takedownRequestedAt: onFacebook ? new Date() : null,
      });
      await this.audit.record({ actor: null, action: 'publication.cancelled', target: { type: 'testimony', id: testimonyId }, details: { publicationId: p.id, because: 'left_approval', onFacebook } }, em);
      if (!onFacebook) continue;
      await this.jobs
        .enqueue(JobName.TakeDownPublication, { publicationId: p.id }, { ...takeDownJobOptions(p.id), delay: AFTER_COMMIT_MS })
        .catch((error: Error) => this.logger.warn(`Takedown of ${p.id} is recorded; the reconciler adds its job: ${error.message}`));
    }
  }
}
