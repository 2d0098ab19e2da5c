import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaModule } from '../../../media/media.module';
import { StorageModule } from '../../../storage/storage.module';
import { Asset } from '../../../testimonies/asset.entity';
import { CaptionMediaModule } from '../../burn-in/caption-media.module';
import { CaptionMedia } from '../../caption-media';
import { CaptionTrack } from '../../caption-track.entity';
import { CaptionTrackVersion } from '../../caption-track-version.entity';
import { CaptionTrackWriter } from '../../caption-track-writer';
import { CaptionTask } from '../caption-task.entity';
import { CaptionPreviewHandler } from './caption-preview.handler';
import { CaptionTaskInputs } from './caption-task-inputs';
import { CaptionTaskRunner } from './caption-task-runner';
import { CaptionTaskState } from './caption-task-state';
import { CaptionTaskWorkSource } from './caption-task-work.source';
import { BurnInHandler, SpeechSegmentsHandler, TranscriptHandler } from './caption-task.handlers';
import { CaptionsProcessor } from './captions.processor';

/** Worker side of captions: the captions queue's processor and the handlers of every caption job. */
@Module({
  imports: [TypeOrmModule.forFeature([CaptionTask, CaptionTrack, CaptionTrackVersion, Asset]), StorageModule, MediaModule, CaptionMediaModule],
  providers: [
    CaptionsProcessor,
    CaptionTaskState,
    CaptionTaskRunner,
    CaptionTaskInputs,
    CaptionMedia,
    CaptionTrackWriter,
    SpeechSegmentsHandler,
    TranscriptHandler,
    BurnInHandler,
    CaptionPreviewHandler,
    CaptionTaskWorkSource,
  ],
})
export class CaptionJobsModule {}
