import { DynamicModule, Module, Type } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../../../config/app-config';
import { AuditModule } from '../../audit/audit.module';
import { ConsentModule } from '../../consent/consent.module';
import { QueueName } from '../../queues/job-catalog';
import { QueueProcessor } from '../../queues/queue-processor';
import { StorageModule } from '../../storage/storage.module';
import { GraphModule } from '../graph/graph.module';
import { PageConnectionService } from '../page-connection.service';
import { PinnedMedia } from './pinned-media';
import { PublicationWorkSource } from './publication-work.source';
import { PublicationStore } from './publication.store';
import { PublishHandler } from './publish.handler';
import { TakeDownHandler } from './take-down.handler';

/**
 * The publishing queue's worker. The lock is as short as the media queue's (tests shorten it): a worker
 * killed mid-upload has its job taken up again soon, and the next run looks on the Page before sending.
 */
function publishingProcessor(media: AppConfig['media']): Type<QueueProcessor> {
  @Processor(QueueName.Publishing, { lockDuration: media.jobLockSeconds * 1000, stalledInterval: media.stalledCheckSeconds * 1000, maxStalledCount: 2 })
  class PublishingProcessor extends QueueProcessor {}
  return PublishingProcessor;
}

/** Worker side of publishing: sending to the Page, taking down, and the reconciler's view of both. */
@Module({})
export class PublishingJobsModule {
  static worker(config: AppConfig): DynamicModule {
    return {
      module: PublishingJobsModule,
      imports: [GraphModule, ConsentModule, AuditModule, StorageModule],
      providers: [publishingProcessor(config.media), PageConnectionService, PublicationStore, PinnedMedia, PublishHandler, TakeDownHandler, PublicationWorkSource],
    };
  }
}
