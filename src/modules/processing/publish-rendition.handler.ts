import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { extname, join } from 'node:path';
import { Repository } from 'typeorm';
import { ErrorCode } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JobName } from '../queues/job-catalog';
import { JobGaveUp, JobHandler } from '../queues/job-handler.decorator';
import { gaveUpMessage, jobProgressReporter, settleJobFailure } from '../queues/job-outcome';
import { TypedJob } from '../queues/job-queue.service';
import { StorageService } from '../storage/storage.service';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { Testimony } from '../testimonies/testimony.entity';
import { openJobWorkspace, stageObject } from './job-workspace';
import { MediaPipeline } from './media-pipeline';
import { GAVE_UP_REASON } from './process-testimony.handler';
import { LateRenditionResult } from './process-testimony.job';
import { isPermanentMediaFailure, OriginalMissing, ProcessingState } from './processing-state';
import { RenditionStore, wantsLateRendition } from './rendition-store';

type Job = TypedJob<JobName.MakePublishRendition>;

/**
 * The publish rendition of a video that had to be transcoded. The first pass made only the light review
 * copy, so the item reached review sooner; approval is refused until this rendition exists (ReviewService),
 * so a failure here is not left silent: the item moves to `processing_failed` with the failure's code,
 * where an editor sees it and can ask for processing again. A job whose item was re-processed, withdrawn
 * or deleted meanwhile does nothing.
 */
@Injectable()
export class PublishRenditionHandler {
  private readonly logger = new Logger(PublishRenditionHandler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>,
    @InjectRepository(Asset) private readonly assets: Repository<Asset>,
    private readonly storage: StorageService,
    private readonly pipeline: MediaPipeline,
    private readonly renditions: RenditionStore,
    private readonly state: ProcessingState,
  ) {}

  @JobHandler(JobName.MakePublishRendition)
  async run(job: Job): Promise<LateRenditionResult> {
    try {
      return await this.make(job);
    } catch (error) {
      throw await this.settleFailure(job, error as Error);
    }
  }

  /** Workers died under the job too often, or the reconciler found it failed with the item still waiting for it. */
  @JobGaveUp(JobName.MakePublishRendition)
  async gaveUp(job: Job, error: Error): Promise<void> {
    const { testimonyId, generation } = job.data;
    await this.state.fail(testimonyId, generation, { code: ErrorCode.JobGaveUp, reason: gaveUpMessage(GAVE_UP_REASON, error), figures: null }, 'testimony.publish_rendition_failed');
  }

  private async make(job: Job): Promise<LateRenditionResult> {
    const { testimonyId, generation } = job.data;
    const testimony = await this.testimonies.findOneBy({ id: testimonyId });
    if (!testimony || !wantsLateRendition(testimony, generation)) return { outcome: 'stale' };
    // A retry of a run that stored the rendition but died before finishing.
    if (await this.assets.existsBy({ testimonyId, role: AssetRole.Publish })) return { outcome: 'done' };
    const original = await this.assets.findOneBy({ testimonyId, role: AssetRole.Original });
    if (!original) throw new OriginalMissing();

    const workspace = await openJobWorkspace(this.config.media.workDir, String(job.id));
    try {
      const rendition = await workspace.run(async () => {
        const input = await stageObject(this.storage, original.storageKey, join(workspace.dir, `original${extname(original.storageKey)}`));
        // The item's own bar already says 100: it is in review. The job's progress is for the admins' queue view.
        return this.pipeline.publish(input, workspace.dir, jobProgressReporter(job, () => Promise.resolve()));
      });
      const outcome = await this.renditions.addLate(testimonyId, generation, [rendition]);
      await job.updateProgress(100);
      return { outcome };
    } finally {
      await workspace.dispose();
    }
  }

  private settleFailure(job: Job, error: Error): Promise<Error> {
    const { testimonyId, generation } = job.data;
    return settleJobFailure(job, error, {
      permanent: isPermanentMediaFailure(error),
      gaveUpReason: GAVE_UP_REASON,
      markFailed: (failure) => this.state.fail(testimonyId, generation, failure, 'testimony.publish_rendition_failed'),
      onMarkFailedError: (dbError) => this.logger.error(`Could not mark testimony ${testimonyId} failed: ${dbError.message}`),
    });
  }
}
