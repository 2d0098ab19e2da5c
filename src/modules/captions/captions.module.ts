import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { CaptionTaskWithdrawalEffect } from './tasks/caption-task-withdrawal.effect';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { RedisModule } from '../redis/redis.module';
import { StorageModule } from '../storage/storage.module';
import { Asset } from '../testimonies/asset.entity';
import { TestimonyLifecycleModule } from '../testimonies/testimony-lifecycle.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { CaptionAccess } from './caption-access';
import { CaptionMedia } from './caption-media';
import { CaptionTrack } from './caption-track.entity';
import { CaptionTrackVersion } from './caption-track-version.entity';
import { CaptionTrackWriter } from './caption-track-writer';
import { CaptionsController } from './captions.controller';
import { CaptionsService } from './captions.service';
import { CaptionTask } from './tasks/caption-task.entity';
import { CaptionTasksController } from './tasks/caption-tasks.controller';
import { CaptionTasksService } from './tasks/caption-tasks.service';

@Module({
  imports: [TypeOrmModule.forFeature([CaptionTrack, CaptionTrackVersion, CaptionTask, Asset]), TestimoniesModule, TestimonyLifecycleModule, StorageModule, AuditModule, RedisModule, ConsentModule],
  controllers: [CaptionsController, CaptionTasksController],
  providers: [CaptionsService, CaptionTasksService, CaptionAccess, CaptionTrackWriter, CaptionMedia, CaptionTaskWithdrawalEffect],
})
export class CaptionsModule {}
