import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { StorageModule } from '../storage/storage.module';
import { Asset } from '../testimonies/asset.entity';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { CaptionMedia } from './caption-media';
import { CaptionTrack } from './caption-track.entity';
import { CaptionTrackVersion } from './caption-track-version.entity';
import { CaptionTrackWriter } from './caption-track-writer';
import { CaptionsController } from './captions.controller';
import { CaptionsService } from './captions.service';

@Module({
  imports: [TypeOrmModule.forFeature([CaptionTrack, CaptionTrackVersion, Asset]), TestimoniesModule, StorageModule, AuditModule],
  controllers: [CaptionsController],
  providers: [CaptionsService, CaptionTrackWriter, CaptionMedia],
})
export class CaptionsModule {}
