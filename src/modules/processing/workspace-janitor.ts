import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { removeAbandonedWorkspaces } from './job-workspace';

/**
 * At worker start-up, removes the job folders of earlier worker processes that were killed, and ends
 * the ffmpeg they left running: a killed run's own retry does the same, but only for its own job, and
 * a job that is never retried (deleted item, lost queue) would leave them for good.
 */
@Injectable()
export class WorkspaceJanitor implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkspaceJanitor.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const removed = await removeAbandonedWorkspaces(this.config.media.workDir);
    if (removed > 0) this.logger.warn(`Removed ${removed} job folder(s) that killed worker processes left in ${this.config.media.workDir}.`);
  }
}
