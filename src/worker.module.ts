import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { LoggingModule } from './common/logging/logging.module';
import { DatabaseModule } from './database/database.module';
import { PublishingJobsModule } from './modules/publishing/jobs/publishing-jobs.module';
import { WithdrawalJobsModule } from './modules/consent/withdrawal-jobs.module';
import { CaptionJobsModule } from './modules/captions/tasks/jobs/caption-jobs.module';
import { ProcessingModule } from './modules/processing/processing.module';
import { ReachJobsModule } from './modules/reach/reach-jobs.module';
import { QueuesModule } from './modules/queues/queues.module';
import { SystemModule } from './modules/system/system.module';

/** The worker process: BullMQ processors only, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule.forRoot({ runMigrations: false }),
        QueuesModule.forRoot('worker'),
        SystemModule.worker(),
        // Worker options (lock timings) are read from config when the module is built.
        ProcessingModule.worker(config),
        CaptionJobsModule,
        WithdrawalJobsModule,
        PublishingJobsModule.worker(config),
        ReachJobsModule,
      ],
    };
  }
}
