import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FfmpegRunOptions, MediaCommandRunner } from '../../media/media.ports';
import { assFilter, burnArgs, CAPTION_FONTS_DIR, frameArgs, previewArgs } from './burn-in.args';

/**
 * Draws captions into the picture. Facebook autoplays muted and a Khmer sidecar caption is not shown
 * everywhere, so the published testimony carries its captions in the pixels.
 */
/** Optional provider overriding CAPTION_FONTS_DIR (tests, or a deployment with its fonts elsewhere). */
export const CAPTION_FONTS_DIR_OVERRIDE = 'CAPTION_FONTS_DIR_OVERRIDE';

export abstract class CaptionBurner {
  /** Re-encodes `inputVideo` into `outputPath` (MP4) with `assScript` (the text of an .ass file) drawn in. */
  abstract burn(inputVideo: string, assScript: string, outputPath: string, options?: FfmpegRunOptions): Promise<void>;
  /** One PNG of `inputVideo` at `atSeconds` with the captions drawn in: the caption editor's preview. */
  abstract captionedFrame(inputVideo: string, assScript: string, atSeconds: number, outputPng: string, signal?: AbortSignal): Promise<void>;
  /** The same frame as a small JPEG (see PREVIEW_MAX_SIDE). `inputVideo` may be an HTTP(S) URL: ffmpeg seeks with ranges. */
  abstract previewJpeg(inputVideo: string, assScript: string, atSeconds: number, outputJpeg: string, signal?: AbortSignal): Promise<void>;
}

@Injectable()
export class AssCaptionBurner implements CaptionBurner {
  constructor(
    private readonly runner: MediaCommandRunner,
    @Optional() @Inject(CAPTION_FONTS_DIR_OVERRIDE) private readonly fontsDir: string = CAPTION_FONTS_DIR,
  ) {}

  burn(inputVideo: string, assScript: string, outputPath: string, options: FfmpegRunOptions = {}): Promise<void> {
    return this.withScript(assScript, outputPath, (filter) => this.runner.ffmpeg(burnArgs(inputVideo, filter, outputPath), options));
  }

  captionedFrame(inputVideo: string, assScript: string, atSeconds: number, outputPng: string, signal?: AbortSignal): Promise<void> {
    return this.withScript(assScript, outputPng, (filter) => this.runner.ffmpeg(frameArgs(inputVideo, filter, atSeconds, outputPng), { signal }));
  }

  previewJpeg(inputVideo: string, assScript: string, atSeconds: number, outputJpeg: string, signal?: AbortSignal): Promise<void> {
    return this.withScript(assScript, outputJpeg, (filter) => this.runner.ffmpeg(previewArgs(inputVideo, filter, atSeconds, outputJpeg), { signal }));
  }

  /**
   * libass reads the script from a file. It goes beside the output, which is already in the job's
   * own temp folder (cleaned with it), under a unique name so two renders never share one, and is
   * removed on success, failure and cancellation alike.
   */
  private async withScript(assScript: string, outputPath: string, run: (filter: string) => Promise<unknown>): Promise<void> {
    const scriptPath = join(dirname(outputPath), `.captions-${randomUUID()}.ass`);
    try {
      await writeFile(scriptPath, assScript, 'utf8');
      await run(assFilter(scriptPath, this.fontsDir));
    } finally {
      await rm(scriptPath, { force: true });
    }
  }
}
