import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { MediaModule } from '../media/media.module';
import { StorageModule } from '../storage/storage.module';
import { Asset } from '../testimonies/asset.entity';
import { TestimonyLifecycleModule } from '../testimonies/testimony-lifecycle.module';
import { Testimony } from '../testimonies/testimony.entity';
import { mediaProcessor } from './media.processor';
import { MediaPipeline } from './media-pipeline';
import { ProcessTestimonyHandler } from './process-testimony.handler';
import { ProcessingState } from './processing-state';
import { PublishRenditionHandler } from './publish-rendition.handler';
import { ProcessingWorkSource } from './processing-work.source';
import { RenditionStore } from './rendition-store';
import { ReviewRenditionHandler } from './review-rendition.handler';
import { WorkspaceJanitor } from './workspace-janitor';

/** Worker side only: the API enqueues ProcessTestimony through JobQueue and needs nothing from here. */
@Module({})
export class ProcessingModule {
  static worker(config: AppConfig): DynamicModule {
    return {
      module: ProcessingModule,
      imports: [TypeOrmModule.forFeature([Testimony, Asset]), StorageModule, MediaModule, TestimonyLifecycleModule],
      providers: [mediaProcessor(config.media), ProcessTestimonyHandler, ProcessingState, RenditionStore, MediaPipeline, ReviewRenditionHandler, PublishRenditionHandler, WorkspaceJanitor, ProcessingWorkSource],
    };
  }
}
