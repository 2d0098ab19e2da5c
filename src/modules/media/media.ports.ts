/**
 * The media adapters as the rest of the app sees them. Abstract classes (not interfaces) so they can
 * be Nest injection tokens: a caller injects `VideoProber`, and tests or another engine can swap the class.
 */
import { ImageOutputs, ProgressListener, RenditionFile, VideoOutputs, VideoProbe } from './media.types';

export interface FfmpegRunOptions {
  /** The input's duration, to turn ffmpeg's out_time into a percent. */
  durationMs?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface FfmpegOutcome {
  /** How far the outputs got (ffmpeg's last out_time, the furthest stream); null when it reported none. */
  outputMs: number | null;
}

export abstract class MediaCommandRunner {
  /** Runs ffmpeg with `args` (no `-i` added for you); resolves when it exits 0. */
  abstract ffmpeg(args: string[], options?: FfmpegRunOptions): Promise<FfmpegOutcome>;
  /** Runs ffprobe with `args`; resolves with its stdout. */
  abstract ffprobe(args: string[], signal?: AbortSignal): Promise<string>;
}

export abstract class VideoProber {
  /** Rejects with MediaRejectedError when the file can never become a video rendition. */
  abstract probe(file: string): Promise<VideoProbe>;
}

export abstract class VideoRenderer {
  /** The first pass: whatever lets reviewers watch soonest (a remux, or else the light review copy) and a poster. */
  abstract render(input: string, probe: VideoProbe, outDir: string, onProgress?: ProgressListener, signal?: AbortSignal): Promise<VideoOutputs>;
  /** The transcoded publish rendition, after the first pass made the review copy instead. */
  abstract publish(input: string, probe: VideoProbe, outDir: string, onProgress?: ProgressListener, signal?: AbortSignal): Promise<RenditionFile>;
  /** The light review rendition, from a publish rendition that reviewers can already watch. */
  abstract review(publish: string, probe: VideoProbe, outDir: string, signal?: AbortSignal): Promise<RenditionFile>;
}

export abstract class PhotoProcessor {
  /** Publish JPEG, preview and thumbnail WebP, and a placeholder, from one decode of `input`. */
  abstract photo(input: string, outDir: string): Promise<ImageOutputs>;
  /** Thumbnails (JPEG and WebP) and a placeholder from a video's poster frame. */
  abstract posterImages(posterJpeg: string, outDir: string): Promise<ImageOutputs>;
}
