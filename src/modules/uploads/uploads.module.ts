import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Commune } from '../places/commune.entity';
import { StorageModule } from '../storage/storage.module';
import { Asset } from '../testimonies/asset.entity';
import { TestimonyLifecycleModule } from '../testimonies/testimony-lifecycle.module';
import { Testimony } from '../testimonies/testimony.entity';
import { PhotoFileInterceptor } from './photo-file.interceptor';
import { TusUploads } from './tus-uploads.service';
import { UploadFinisher } from './upload-finisher';
import { UploadIntakeService } from './upload-intake';
import { UploadSweep } from './upload-sweep';
import { UploadsController } from './uploads.controller';

/** Resumable (tus) and single-request uploads, staged on disk, then handed to S3 and processing. API only. */
@Module({
  imports: [TypeOrmModule.forFeature([Testimony, Asset, Commune]), StorageModule, TestimonyLifecycleModule],
  controllers: [UploadsController],
  providers: [TusUploads, UploadFinisher, UploadIntakeService, UploadSweep, PhotoFileInterceptor],
  exports: [UploadFinisher, UploadSweep, TusUploads],
})
export class UploadsModule {}
