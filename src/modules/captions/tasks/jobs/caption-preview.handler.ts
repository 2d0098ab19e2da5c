import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../../../config/app-config';
import { APP_CONFIG } from '../../../../config/config.module';
import { openJobWorkspace } from '../../../processing/job-workspace';
import { JobName } from '../../../queues/job-catalog';
import { JobHandler } from '../../../queues/job-handler.decorator';
import { TypedJob } from '../../../queues/job-queue.service';
import { StorageService } from '../../../storage/storage.service';
import { CaptionBurner } from '../../burn-in/caption-burner';
import { frameOf } from '../../caption-media';
import { toAss } from '../../formats';
import { CaptionPreviewResult } from '../caption-task.job';
import { CaptionTaskInputs } from './caption-task-inputs';

/**
 * One frame with the saved captions drawn in, for the editor to judge size and line breaks before
 * asking for a full burn-in. ffmpeg reads the publish rendition over a signed link and seeks with
 * byte ranges, so a frame of a long video costs a few hundred kilobytes, not the whole file.
 */
@Injectable()
export class CaptionPreviewHandler {
  constructor(
    private readonly inputs: CaptionTaskInputs,
    private readonly burner: CaptionBurner,
    private readonly storage: StorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.CaptionPreview)
  async run(job: TypedJob<JobName.CaptionPreview>): Promise<CaptionPreviewResult> {
    const { testimonyId, language, atMs } = job.data;
    const [publish, cues] = await Promise.all([this.inputs.publishRendition(testimonyId), this.inputs.currentCues(testimonyId, language)]).catch(
      (error: Error) => {
        throw new UnrecoverableError(error.message);
      },
    );
    const { url } = await this.storage.presignGet(publish.storageKey, { internal: true });
    const workspace = await openJobWorkspace(this.config.media.workDir, String(job.id));
    try {
      const jpeg = join(workspace.dir, 'preview.jpg');
      await workspace.run(() => this.burner.previewJpeg(url, toAss(cues, { ...frameOf(publish), language }), atMs / 1000, jpeg));
      return { jpegBase64: (await readFile(jpeg)).toString('base64') };
    } finally {
      await workspace.dispose();
    }
  }
}
