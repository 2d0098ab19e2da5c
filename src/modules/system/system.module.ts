import { DynamicModule, Module } from '@nestjs/common';
import { MediaToolsModule } from '../media/media-tools.module';
import { StorageModule } from '../storage/storage.module';
import { SystemController } from './system.controller';
import { SystemProcessor } from './system.processor';
import { SystemService } from './system.service';
import { WorkerCheckHandler } from './worker-check.handler';

/** The API side asks; the worker side answers. Each process imports only its half. */
@Module({})
export class SystemModule {
  static api(): DynamicModule {
    return { module: SystemModule, controllers: [SystemController], providers: [SystemService] };
  }

  static worker(): DynamicModule {
    return {
      module: SystemModule,
      imports: [StorageModule, MediaToolsModule],
      providers: [SystemProcessor, WorkerCheckHandler],
    };
  }
}
