/**
 * Choosing a poster frame: sample the first seconds as tiny grey frames and keep the one with the
 * most contrast. Black frames have none and a fade-in has less than the picture it fades into,
 * so this skips both without tuning thresholds. Pure, apart from the argument lists it builds.
 */
import { join } from 'node:path';

/** Tiny on purpose: contrast survives downscaling, and the 12 frames of 64×64 are 48 KB. */
export const SAMPLE_SIDE = 64;
export const SAMPLES_PER_SECOND = 2;
export const SAMPLE_WINDOW_SECONDS = 6;

/** Where one pass leaves its poster samples and the full-size frames they were taken from. */
export interface PosterFiles {
  samples: string;
  /** An image2 pattern: candidate i is the frame sampleTimeSeconds(i) after the first. */
  candidates: string;
}

export function posterFiles(dir: string): PosterFiles {
  return { samples: join(dir, 'samples.gray'), candidates: join(dir, '%02d.jpg') };
}

export function candidatePath(files: PosterFiles, index: number): string {
  return files.candidates.replace('%02d', String(index).padStart(2, '0'));
}

/**
 * A filter chain from the stream labelled `from`: the first seconds of picture at SAMPLES_PER_SECOND,
 * both as tiny grey samples and as full-size frames. It rides along the pass that encodes the rendition,
 * so choosing a poster decodes nothing twice; a remux, which decodes nothing, gets a pass of its own
 * (posterArgs). Counted from the first frame, not the file's start: a phone may start the sound seconds
 * before the picture, and a window counted from the file's start would hold no frame at all.
 */
export function posterFilter(from: string): string {
  return `[${from}]setpts=PTS-STARTPTS,trim=end=${SAMPLE_WINDOW_SECONDS},fps=${SAMPLES_PER_SECOND},split=2[poster_full][poster_small];` +
    `[poster_small]scale=${SAMPLE_SIDE}:${SAMPLE_SIDE},format=gray[poster_samples]`;
}

export function posterOutputArgs(files: PosterFiles): string[] {
  return [
    '-map', '[poster_samples]', '-f', 'rawvideo', '-y', files.samples,
    '-map', '[poster_full]', '-q:v', '3', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-f', 'image2', '-start_number', '0', '-y', files.candidates,
  ];
}

/**
 * Poster samples and candidates from a rendition that was not decoded while it was made (a remux).
 * ffmpeg stops reading once the filter's window is full, so no `-t` (which would count from the file's start).
 */
export function posterArgs(video: string, files: PosterFiles): string[] {
  return ['-i', video, '-an', '-filter_complex', posterFilter('0:v:0'), ...posterOutputArgs(files)];
}

/** Index of the frame with the highest luma standard deviation; 0 when there is nothing to choose from. */
export function pickPosterFrame(samples: Buffer, frameBytes = SAMPLE_SIDE * SAMPLE_SIDE): number {
  let best = 0;
  let bestSpread = -1;
  for (let index = 0; (index + 1) * frameBytes <= samples.length; index++) {
    const spread = lumaSpread(samples.subarray(index * frameBytes, (index + 1) * frameBytes));
    if (spread > bestSpread) {
      best = index;
      bestSpread = spread;
    }
  }
  return best;
}

export function sampleTimeSeconds(index: number): number {
  return index / SAMPLES_PER_SECOND;
}

function lumaSpread(frame: Buffer): number {
  let sum = 0;
  let sumOfSquares = 0;
  for (const value of frame) {
    sum += value;
    sumOfSquares += value * value;
  }
  const mean = sum / frame.length;
  return Math.sqrt(Math.max(0, sumOfSquares / frame.length - mean * mean));
}
