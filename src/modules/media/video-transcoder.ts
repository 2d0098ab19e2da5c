import { Injectable } from '@nestjs/common';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaCommandRunner, VideoRenderer } from './media.ports';
import { ProgressListener, RejectionCode, RenditionFile, VideoOutputs, VideoProbe } from './media.types';
import { pickPosterFrame, posterExtractArgs, posterSampleArgs, sampleTimeSeconds } from './poster-frame';
import { renditionFile } from './rendition-file';
import { remuxArgs, renditionArgs } from './video-args';
import { planVideo } from './video-plan';
import { rejection } from './media-rejections';

/** Share of the progress bar each step takes: the encode or remux is almost all the work. */
const FIRST_PASS_STEPS = { main: [0, 95], poster: [95, 100] } as const;

/** How much shorter than the source a rendition may come out (frame rounding, dropped edit lists). */
const COMPLETE_SHARE = 0.9;
const COMPLETE_SLACK_MS = 500;

@Injectable()
export class VideoTranscoder implements VideoRenderer {
  constructor(private readonly runner: MediaCommandRunner) {}

  /**
   * Reviewers wait for this pass only. A remux already plays in a browser: it is the publish rendition,
   * and the light review copy is made later (ReviewRenditionHandler). Anything else gets the light review
   * copy now, a fraction of a full encode's work, and its publish rendition later (PublishRenditionHandler).
   */
  async render(input: string, probe: VideoProbe, outDir: string, onProgress: ProgressListener = () => {}, signal?: AbortSignal): Promise<VideoOutputs> {
    const plan = planVideo(probe);
    const remuxed = plan.transcodeReasons.length === 0;
    const watchable = join(outDir, remuxed ? 'publish.mp4' : 'review.mp4');
    const posterPath = join(outDir, 'poster.jpg');
    const run = (args: string[], [from, to]: readonly [number, number]) =>
      this.runner.ffmpeg(args, { durationMs: probe.durationMs, signal, onProgress: (p) => onProgress(Math.round(from + ((to - from) * p) / 100)) });
    try {
      await run(remuxed ? remuxArgs(input, watchable) : renditionArgs(input, plan, 'review', watchable), FIRST_PASS_STEPS.main);
      await this.assertComplete(watchable, probe);
      // The poster comes from the rendition just made: already upright, SDR and 8-bit.
      const posterAt = await this.choosePosterTime(watchable, outDir, signal);
      await run(posterExtractArgs(watchable, posterAt, posterPath), FIRST_PASS_STEPS.poster);
      onProgress(100);

      const size = remuxed ? probe : plan.review.size;
      const file = await renditionFile(watchable, size, probe.durationMs, remuxed ? { remuxed, transcodeReasons: [], maxrate: plan.publish.maxrate } : { maxrate: plan.review.maxrate });
      return {
        publish: remuxed ? file : null,
        review: remuxed ? null : file,
        poster: await renditionFile(posterPath, size, null, { atSeconds: posterAt }),
        remuxed,
      };
    } catch (error) {
      await Promise.all([watchable, posterPath].map((path) => rm(path, { force: true })));
      throw error;
    }
  }

  async publish(input: string, probe: VideoProbe, outDir: string, onProgress?: ProgressListener, signal?: AbortSignal): Promise<RenditionFile> {
    const plan = planVideo(probe);
    const path = join(outDir, 'publish.mp4');
    try {
      await this.runner.ffmpeg(renditionArgs(input, plan, 'publish', path), { durationMs: probe.durationMs, onProgress, signal });
      await this.assertComplete(path, probe);
      return await renditionFile(path, plan.publish.size, probe.durationMs, { remuxed: false, transcodeReasons: plan.transcodeReasons, maxrate: plan.publish.maxrate });
    } catch (error) {
      await rm(path, { force: true });
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
