import { Injectable } from '@nestjs/common';
import { JobName } from '../../queues/job-catalog';
import { JobGaveUp, JobHandler } from '../../queues/job-handler.decorator';
import { runAgainLater } from '../../queues/job-outcome';
import { JobQueue, TypedJob } from '../../queues/job-queue.service';
import { MediaKind } from '../../testimonies/testimony-status';
import { GraphApi } from '../graph/graph-api.port';
import { GraphError } from '../graph/graph-error';
import { PageConnectionService } from '../page-connection.service';
import { PublicationState } from '../publication.entity';
import { BUSY_RETRY_MS, TakeDownResult, takeDownJobOptions } from '../publishing.job';
import { findLostPost } from './find-lost-post';
import { PublicationStore } from './publication.store';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Removes a publication from the Page: after a withdrawn consent, an editor's take-down, or the cancel of
 * a post Facebook held. It retries (BullMQ backoff, then the reconciler) until Meta confirms the post is
 * deleted or already gone, and each attempt is recorded: the tool never says "down" while the Page
 * still shows it.
 */
@Injectable()
export class TakeDownHandler {
  constructor(
    private readonly store: PublicationStore,
    private readonly pages: PageConnectionService,
    private readonly graph: GraphApi,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.TakeDownPublication)
  async run(job: TypedJob<JobName.TakeDownPublication>): Promise<TakeDownResult> {
    const run = await this.store.alone(job.data.publicationId, () => this.takeDown(job.data.publicationId));
    // A send holds it: the takedown waits without spending an attempt (the send also calls it when done).
    return run.ran ? run.value : runAgainLater(job, BUSY_RETRY_MS);
  }

  /**
   * A takedown is never given up: after BullMQ's last attempt (weeks of backoff, a Page that stayed
   * broken) it starts over a day later, and the row keeps saying it is pending until Meta confirms.
   */
  @JobGaveUp(JobName.TakeDownPublication)
  async gaveUp(job: TypedJob<JobName.TakeDownPublication>): Promise<void> {
    await job.remove();
    await this.jobs.enqueue(JobName.TakeDownPublication, job.data, { ...takeDownJobOptions(job.data.publicationId), delay: DAY_MS });
  }

  private async takeDown(publicationId: string): Promise<TakeDownResult> {
    const p = await this.store.find(publicationId);
    if (!p?.takedownRequestedAt || p.takenDownAt) return { outcome: 'stale' };
    if (p.state === PublicationState.Publishing) throw new Error('The publication is being sent right now; its takedown follows once it settles.');
    const open = await this.pages.open(p.pageRef);
    if (!open) throw new Error('No Page is connected: the takedown waits for an admin to connect the Page again.');

    let objects = [p.postId, p.videoId].filter((id): id is string => id !== null);
    if (objects.length === 0 && p.state === PublicationState.Unknown && p.kind === MediaKind.Photo) {
      const found = await findLostPost(this.graph, open, p, (ids) => this.store.postsOfOthers(p.id, ids));
      objects = found ? [found.id] : [];
    }
    if (objects.length === 0 && p.state !== PublicationState.Unknown) {
      await this.store.takenDown(p, []);
      return { outcome: 'nothing_on_page' };
    }
    if (objects.length === 0) throw new Error('The outcome of the last call is not known yet; the takedown looks again later.');

    let outcome: TakeDownResult['outcome'] = 'already_gone';
    for (const objectId of objects) {
      const attempt = await this.store.begin(p.id, 'takedown', { objectId });
      try {
        const result = await this.graph.deleteObject(objectId, open.token);
        await this.store.settle(attempt, result === 'deleted' ? 'ok' : 'already_gone');
        if (result === 'deleted') outcome = 'deleted';
      } catch (error) {
        await this.store.settle(attempt, 'failed', { error: (error as Error).message });
        if (error instanceof GraphError && (error.kind === 'token' || error.kind === 'permission')) await this.pages.needsReconnect(open.page.id, error);
        throw error;
      }
    }
    await this.store.takenDown(p, objects);
    return { outcome };
  }
}
