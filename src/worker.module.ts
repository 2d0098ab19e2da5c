import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { LoggingModule } from './common/logging/logging.module';
import { DatabaseModule } from './database/database.module';
import { QueuesModule } from './modules/queues/queues.module';
import { SystemModule } from './modules/system/system.module';

/** The worker process: BullMQ processors only, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule.forRoot({ runMigrations: false }),
        QueuesModule.forRoot('worker'),
        SystemModule.worker(),
      ],
    };
  }
}
