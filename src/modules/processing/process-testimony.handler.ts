import { ErrorCode } from '../../common/errors/app-error';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { extname, join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JobName } from '../queues/job-catalog';
import { JobGaveUp, JobHandler } from '../queues/job-handler.decorator';
import { JobQueue, TypedJob } from '../queues/job-queue.service';
import { gaveUpMessage, jobProgressReporter, settleJobFailure } from '../queues/job-outcome';
import { StorageService } from '../storage/storage.service';
import { AssetRole } from '../testimonies/asset.entity';
import { MediaKind } from '../testimonies/testimony-status';
import { openJobWorkspace, stageObject } from './job-workspace';
import { MediaPipeline } from './media-pipeline';
import { ProcessTestimonyResult, publishRenditionJobId, reviewRenditionJobId } from './process-testimony.job';
import { isPermanentMediaFailure, OriginalMissing, ProcessingState } from './processing-state';
import { ProcessedMedia, RenditionStore } from './rendition-store';

type Job = TypedJob<JobName.ProcessTestimony>;

export const GAVE_UP_REASON = 'We could not process this file after several tries; an editor can try again.';
/** Rendering is most of the work; storing the results takes the rest of the bar. */
const RENDER_SHARE = 90;

/**
 * Turns an uploaded original into what reviewers need, and sends the item to review; a video's other
 * rendition follows from a job of its own (see ProcessedMedia.later). Bad input fails the item at once with the
 * adapter's plain reason; anything else is thrown for BullMQ to retry, and the last failed attempt
 * marks the item failed so people see it instead of a bar stuck at some percent.
 */
@Injectable()
export class ProcessTestimonyHandler {
  private readonly logger = new Logger(ProcessTestimonyHandler.name);

  constructor(
    private readonly state: ProcessingState,
    private readonly pipeline: MediaPipeline,
    private readonly renditions: RenditionStore,
    private readonly storage: StorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.ProcessTestimony)
  async run(job: Job): Promise<ProcessTestimonyResult> {
    try {
      return await this.process(job);
    } catch (error) {
      throw await this.settleFailure(job, error as Error);
    }
  }

  /**
   * BullMQ gave up on the job. Usually run() already said why; but when workers died under the job too
   * often (stalled past the limit) run() never got the chance, and the item would sit in `processing`.
   * Changes only an item still processing this generation, so a reason already given stays.
   */
  @JobGaveUp(JobName.ProcessTestimony)
  async gaveUp(job: Job, error: Error): Promise<void> {
    const { testimonyId, generation } = job.data;
    await this.state.fail(testimonyId, generation, { code: ErrorCode.JobGaveUp, reason: gaveUpMessage(GAVE_UP_REASON, error), figures: null });
  }

  private async process(job: Job): Promise<ProcessTestimonyResult> {
    const { testimonyId, generation } = job.data;
    const start = await this.state.begin(testimonyId, generation);
    if (start.state === 'stale') return { testimonyId, outcome: 'stale' };
    // Requests commit the new generation before enqueueing, so this is a job whose request was undone or
    // not yet visible: thrown, so a retry can see a late commit, and a final failure changes nothing.
    if (start.state === 'ahead') throw new Error(`Testimony ${testimonyId} is not yet at generation ${generation}`);
    if (!start.original) throw new OriginalMissing();

    const workspace = await openJobWorkspace(this.config.media.workDir, String(job.id));
    const original = start.original;
    try {
      const media = await workspace.run(async () => {
        const input = await stageObject(this.storage, original.storageKey, join(workspace.dir, `original${extname(original.storageKey)}`));
        return start.testimony.kind === MediaKind.Video
          ? this.pipeline.video(input, workspace.dir, this.progressReporter(job))
          : this.pipeline.photo(input, workspace.dir);
      });
      return await this.store(job, media);
    } finally {
      await workspace.dispose();
    }
  }

  private async store(job: Job, media: ProcessedMedia): Promise<ProcessTestimonyResult> {
    const { testimonyId, generation } = job.data;
    const rows = await this.renditions.upload(testimonyId, generation, media.renditions);
    if (!(await this.renditions.commit(testimonyId, generation, rows, media))) {
      // Superseded or deleted while we worked: what we uploaded belongs to nobody.
      await this.renditions.removeGeneration(testimonyId, generation);
      return { testimonyId, outcome: 'stale' };
    }
    await this.renditions.removeOlderGenerations(testimonyId, generation);
    if (media.later === AssetRole.Review) {
      // Losing this job costs reviewers only the lighter copy: the publish rendition plays meanwhile.
      await this.jobs
        .enqueue(JobName.MakeReviewRendition, { testimonyId, generation }, { jobId: reviewRenditionJobId(testimonyId, generation) })
        .catch((error: Error) => this.logger.warn(`No review copy for ${testimonyId} (the publish rendition plays instead): ${error.message}`));
    } else if (media.later === AssetRole.Publish) {
      // Approval waits for this one, so the reconciler adds it again if it is lost (ProcessingWorkSource).
      await this.jobs
        .enqueue(JobName.MakePublishRendition, { testimonyId, generation }, { jobId: publishRenditionJobId(testimonyId, generation) })
        .catch((error: Error) => this.logger.warn(`The publish rendition of ${testimonyId} was not queued; job reconciliation will queue it: ${error.message}`));
    }
    await job.updateProgress(100);
    return { testimonyId, outcome: 'done' };
  }

  /** Rendering is most of the bar; storing the results takes the rest. */
  private progressReporter(job: Job): (percent: number) => void {
    const { testimonyId, generation } = job.data;
    const report = jobProgressReporter(job, (percent) => this.state.progress(testimonyId, generation, percent));
    return (percent) => report((Math.min(100, Math.max(0, percent)) * RENDER_SHARE) / 100);
  }

  /** Returns what to throw: UnrecoverableError for bad input, the error itself (for a retry) otherwise. */
  private settleFailure(job: Job, error: Error): Promise<Error> {
    const { testimonyId, generation } = job.data;
    return settleJobFailure(job, error, {
      permanent: isPermanentMediaFailure(error),
      gaveUpReason: GAVE_UP_REASON,
      markFailed: (failure) => this.state.fail(testimonyId, generation, failure),
      // The item could not be marked; retrying (if attempts remain) gives it another chance.
      onMarkFailedError: (dbError) => this.logger.error(`Could not mark testimony ${testimonyId} failed: ${dbError.message}`),
    });
  }
}
