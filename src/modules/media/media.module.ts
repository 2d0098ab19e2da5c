import { Module } from '@nestjs/common';
import { FfmpegRunner } from './ffmpeg-runner';
import { ImageProcessor } from './image-processor';
import { MediaCommandRunner, PhotoProcessor, VideoProber, VideoRenderer } from './media.ports';
import { VideoProbeService } from './video-probe.service';
import { VideoTranscoder } from './video-transcoder';

/**
 * The media adapters (ffmpeg, sharp) behind the ports in media.ports.ts. Inject the port
 * (`VideoProber`, `VideoRenderer`, `PhotoProcessor`, `MediaCommandRunner`), never the class.
 * Needs only the global config module.
 */
@Module({
  providers: [
    { provide: MediaCommandRunner, useClass: FfmpegRunner },
    { provide: VideoProber, useClass: VideoProbeService },
    { provide: VideoRenderer, useClass: VideoTranscoder },
    { provide: PhotoProcessor, useClass: ImageProcessor },
  ],
  exports: [MediaCommandRunner, VideoProber, VideoRenderer, PhotoProcessor],
})
export class MediaModule {}
