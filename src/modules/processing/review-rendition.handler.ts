import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { join } from 'node:path';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { VideoProber, VideoRenderer } from '../media/media.ports';
import { JobName } from '../queues/job-catalog';
import { JobHandler } from '../queues/job-handler.decorator';
import { TypedJob } from '../queues/job-queue.service';
import { StorageService } from '../storage/storage.service';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { openJobWorkspace, stageObject } from './job-workspace';
import { LateRenditionResult } from './process-testimony.job';
import { RenditionStore } from './rendition-store';

/**
 * The light review copy of a video whose publish rendition was a remux. The item is already in review
 * (reviewers watch the publish rendition meanwhile); this job runs behind new uploads and only adds the
 * copy if the item is still at the same generation.
 */
@Injectable()
export class ReviewRenditionHandler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Asset) private readonly assets: Repository<Asset>,
    private readonly storage: StorageService,
    private readonly prober: VideoProber,
    private readonly renderer: VideoRenderer,
    private readonly renditions: RenditionStore,
  ) {}

  @JobHandler(JobName.MakeReviewRendition)
  async run(job: TypedJob<JobName.MakeReviewRendition>): Promise<LateRenditionResult> {
    const { testimonyId, generation } = job.data;
    const publish = await this.assets.findOneBy({ testimonyId, role: AssetRole.Publish, variant: '' });
    if (!publish) return { outcome: 'stale' };
    const workspace = await openJobWorkspace(this.config.media.workDir, String(job.id));
    try {
      const file = await workspace.run(async () => {
        const input = await stageObject(this.storage, publish.storageKey, join(workspace.dir, 'publish.mp4'));
        return this.renderer.review(input, await this.prober.probe(input), workspace.dir);
      });
      return { outcome: await this.renditions.addLate(testimonyId, generation, [{ role: AssetRole.Review, variant: '', file }]) };
    } finally {
      await workspace.dispose();
    }
  }
}
