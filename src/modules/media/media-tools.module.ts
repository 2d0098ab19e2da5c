import { Module } from '@nestjs/common';
import { FfmpegBinaries } from './ffmpeg-binaries';

@Module({ providers: [FfmpegBinaries], exports: [FfmpegBinaries] })
export class MediaToolsModule {}
