import { Injectable } from '@nestjs/common';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaCommandRunner, VideoRenderer } from './media.ports';
import { ProgressListener, RejectionCode, RenditionFile, VideoOutputs, VideoProbe } from './media.types';
import { pickPosterFrame, posterExtractArgs, posterSampleArgs, sampleTimeSeconds } from './poster-frame';
import { renditionFile } from './rendition-file';
import { remuxArgs, renditionArgs, transcodeArgs } from './video-args';
import { planVideo } from './video-plan';
import { rejection } from './media-rejections';

/** Share of the progress bar each step takes: the encode is almost all the work. */
const REMUX_STEPS = { remux: [0, 80], poster: [80, 100] } as const;
const TRANSCODE_STEPS = { transcode: [0, 95], poster: [95, 100] } as const;

/** How much shorter than the source a rendition may come out (frame rounding, dropped edit lists). */
const COMPLETE_SHARE = 0.9;
const COMPLETE_SLACK_MS = 500;

@Injectable()
export class VideoTranscoder implements VideoRenderer {
  constructor(private readonly runner: MediaCommandRunner) {}

  async render(input: string, probe: VideoProbe, outDir: string, onProgress: ProgressListener = () => {}, signal?: AbortSignal): Promise<VideoOutputs> {
    const plan = planVideo(probe);
    const paths = { publish: join(outDir, 'publish.mp4'), review: join(outDir, 'review.mp4'), poster: join(outDir, 'poster.jpg') };
    const remuxed = plan.transcodeReasons.length === 0;
    const run = (args: string[], [from, to]: readonly [number, number]) =>
      this.runner.ffmpeg(args, { durationMs: probe.durationMs, signal, onProgress: (p) => onProgress(Math.round(from + ((to - from) * p) / 100)) });
    try {
      // A remux already plays in a browser: reviewers watch it at once, and the light review rendition
      // is made afterwards by a job of its own, behind new uploads (see ReviewRenditionHandler).
      if (remuxed) {
        await run(remuxArgs(input, paths.publish), REMUX_STEPS.remux);
      } else {
        await run(transcodeArgs(input, plan, paths.publish, paths.review), TRANSCODE_STEPS.transcode);
      }
      await this.assertComplete(paths.publish, probe);
      // The poster comes from the publish rendition: already upright, SDR and 8-bit.
      const posterAt = await this.choosePosterTime(paths.publish, outDir, signal);
      await run(posterExtractArgs(paths.publish, posterAt, paths.poster), remuxed ? REMUX_STEPS.poster : TRANSCODE_STEPS.poster);
      onProgress(100);

      const publishSize = remuxed ? probe : plan.publish.size;
      return {
        publish: await renditionFile(paths.publish, publishSize, probe.durationMs, { remuxed, transcodeReasons: plan.transcodeReasons, maxrate: plan.publish.maxrate }),
        review: remuxed ? null : await renditionFile(paths.review, plan.review.size, probe.durationMs, { maxrate: plan.review.maxrate }),
        poster: await renditionFile(paths.poster, publishSize, null, { atSeconds: posterAt }),
        remuxed,
      };
    } catch (error) {
      await Promise.all(Object.values(paths).map((path) => rm(path, { force: true })));
      throw error;
    }
  }

  async review(publish: string, probe: VideoProbe, outDir: string, signal?: AbortSignal): Promise<RenditionFile> {
    const plan = planVideo(probe);
    const path = join(outDir, 'review.mp4');
    try {
      await this.runner.ffmpeg(renditionArgs(publish, plan, 'review', path), { durationMs: probe.durationMs, signal });
      return await renditionFile(path, plan.review.size, probe.durationMs, { maxrate: plan.review.maxrate });
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /**
   * An MP4 with its index first but its data cut off probes as whole, and ffmpeg then encodes the part
   * that is there and exits 0. A rendition much shorter than the file claims to be means that.
   */
  private async assertComplete(publish: string, probe: VideoProbe): Promise<void> {
    const out = await this.runner.ffprobe(['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', publish]);
    const renderedMs = Number.parseFloat(out.trim()) * 1000;
    if (!Number.isFinite(renderedMs) || renderedMs < probe.durationMs * COMPLETE_SHARE - COMPLETE_SLACK_MS) throw rejection(RejectionCode.Truncated);
  }

  private async choosePosterTime(video: string, outDir: string, signal?: AbortSignal): Promise<number> {
    const samplesPath = join(outDir, 'poster-samples.gray');
    try {
      await this.runner.ffmpeg(posterSampleArgs(video, samplesPath), { signal });
      return sampleTimeSeconds(pickPosterFrame(await readFile(samplesPath)));
    } finally {
      await rm(samplesPath, { force: true });
    }
  }
}
