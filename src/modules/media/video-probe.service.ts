import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { FfmpegFailedError } from './ffmpeg-errors';
import { readHead } from './file-head';
import { UPLOADED_INPUT_OPTIONS } from './uploaded-input';
import { rejection, tooLong } from './media-rejections';
import { MediaCommandRunner, VideoProber } from './media.ports';
import { RejectionCode, VideoProbe } from './media.types';
import { classifyProbeFailure, FfprobeOutput, parseProbe } from './video-probe.parse';

/** Still images that ffprobe happily opens as a one-frame "video". */
const IMAGE_FORMATS = /(^|,)(image2|\w+_pipe)(,|$)/;

@Injectable()
export class VideoProbeService implements VideoProber {
  constructor(
    private readonly runner: MediaCommandRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async probe(file: string): Promise<VideoProbe> {
    const output = await this.readHeaders(file);
    if (IMAGE_FORMATS.test(output.format?.format_name ?? '')) throw rejection(RejectionCode.NotAVideo);
    const probe = parseProbe(output);
    if (probe.width <= 0 || probe.height <= 0) throw rejection(RejectionCode.NotAVideo);
    const { maxDurationSeconds } = this.config.media;
    if (probe.durationMs > maxDurationSeconds * 1000) throw tooLong(probe.durationMs, maxDurationSeconds);
    return probe;
  }

  private async readHeaders(file: string): Promise<FfprobeOutput> {
    try {
      const json = await this.runner.ffprobe(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...UPLOADED_INPUT_OPTIONS, file]);
      return JSON.parse(json) as FfprobeOutput;
    } catch (error) {
      // ffprobe exits 1 on a file it cannot read: the file's fault. Other failures (127: not installed) are ours.
      if (error instanceof FfmpegFailedError && error.exitCode === 1) throw classifyProbeFailure(error.stderrTail.join('\n'), await readHead(file));
      throw error;
    }
  }
}
