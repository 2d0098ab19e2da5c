import { Inject, Injectable } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

export interface BinaryStatus {
  ok: boolean;
  /** The first line of `-version`, or why the binary could not be run. */
  detail: string;
}

function firstLine(binary: string, timeoutMs: number): Promise<BinaryStatus> {
  return new Promise((resolve) => {
    execFile(binary, ['-hide_banner', '-version'], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout) => {
      if (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found; install ffmpeg (apt-get install ffmpeg)' : error.message;
        resolve({ ok: false, detail: `${binary}: ${reason}` });
      } else {
        resolve({ ok: true, detail: stdout.split('\n')[0].trim() });
      }
    });
  });
}

/** Finds the ffmpeg and ffprobe binaries the media jobs need; the answer is cached briefly for /ready. */
@Injectable()
export class FfmpegBinaries {
  private cached?: { at: number; result: Promise<Record<'ffmpeg' | 'ffprobe', BinaryStatus>> };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  check(maxAgeMs = 30_000): Promise<Record<'ffmpeg' | 'ffprobe', BinaryStatus>> {
    if (!this.cached || Date.now() - this.cached.at > maxAgeMs) {
      const { ffmpegPath, ffprobePath } = this.config.media;
      this.cached = {
        at: Date.now(),
        result: Promise.all([firstLine(ffmpegPath, 5000), firstLine(ffprobePath, 5000)]).then(([ffmpeg, ffprobe]) => ({ ffmpeg, ffprobe })),
      };
    }
    return this.cached.result;
  }
}
