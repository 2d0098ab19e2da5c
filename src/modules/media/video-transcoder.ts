import { Injectable } from '@nestjs/common';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegOutcome, MediaCommandRunner, VideoRenderer } from './media.ports';
import { ProgressListener, RejectionCode, RenditionFile, VideoOutputs, VideoProbe } from './media.types';
import { candidatePath, pickPosterFrame, posterArgs, posterFiles, sampleTimeSeconds } from './poster-frame';
import { renditionFile } from './rendition-file';
import { remuxArgs, renditionArgs } from './video-args';
import { planVideo } from './video-plan';
import { rejection } from './media-rejections';

/** A remux's share of the progress bar, and its poster pass's: an encode makes its poster on the way. */
const REMUX_STEPS = { main: [0, 95], poster: [95, 100] } as const;
const WHOLE_BAR = [0, 100] as const;

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
    // Its own folder: the candidates not chosen go with it, however many the pass wrote.
    const posterDir = join(outDir, 'poster-frames');
    const poster = posterFiles(posterDir);
    try {
      await mkdir(posterDir);
      // An encode decodes once: the poster's samples and candidates come out of its own filters.
      const made = remuxed
        ? await run(remuxArgs(input, watchable), REMUX_STEPS.main)
        : await run(renditionArgs(input, plan, 'review', watchable, poster), WHOLE_BAR);
      assertComplete(made, probe);
      if (remuxed) await run(posterArgs(watchable, poster), REMUX_STEPS.poster);
      const posterIndex = pickPosterFrame(await readFile(poster.samples));
      // The chosen frame becomes the poster; the others were only candidates.
      await rename(candidatePath(poster, posterIndex), posterPath);
      onProgress(100);

      const size = remuxed ? probe : plan.review.size;
      const file = await renditionFile(watchable, size, probe.durationMs, remuxed ? { remuxed, transcodeReasons: [], maxrate: plan.publish.maxrate } : { maxrate: plan.review.maxrate });
      return {
        publish: remuxed ? file : null,
        review: remuxed ? null : file,
        poster: await renditionFile(posterPath, size, null, { atSeconds: sampleTimeSeconds(posterIndex) }),
        remuxed,
      };
    } catch (error) {
      await Promise.all([watchable, posterPath].map((path) => rm(path, { force: true })));
      throw error;
    } finally {
      await rm(posterDir, { recursive: true, force: true });
    }
  }

  async publish(input: string, probe: VideoProbe, outDir: string, onProgress?: ProgressListener, signal?: AbortSignal): Promise<RenditionFile> {
    const plan = planVideo(probe);
    const path = join(outDir, 'publish.mp4');
    try {
      assertComplete(await this.runner.ffmpeg(renditionArgs(input, plan, 'publish', path), { durationMs: probe.durationMs, onProgress, signal }), probe);
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
}

/**
 * An MP4 with its index first but its data cut off probes as whole, and ffmpeg then encodes the part
 * that is there and exits 0. An output that ends much sooner than the file claims to last means that;
 * ffmpeg's own account of how far it wrote saves probing the output again.
 */
function assertComplete(made: FfmpegOutcome, probe: VideoProbe): void {
  if (made.outputMs === null || made.outputMs < probe.durationMs * COMPLETE_SHARE - COMPLETE_SLACK_MS) throw rejection(RejectionCode.Truncated);
}
