/**
 * Choosing a poster frame: sample the first seconds as tiny grey frames and keep the one with the
 * most contrast. Black frames have none and a fade-in has less than the picture it fades into,
 * so this skips both without tuning thresholds. Pure, apart from the argument lists it builds.
 */

/** Tiny on purpose: contrast survives downscaling and 8 frames of 64×64 are 32 KB. */
export const SAMPLE_SIDE = 64;
export const SAMPLES_PER_SECOND = 2;
export const SAMPLE_WINDOW_SECONDS = 6;

export function posterSampleArgs(video: string, samplesPath: string): string[] {
  return [
    '-t', String(SAMPLE_WINDOW_SECONDS), '-i', video,
    '-an', '-vf', `fps=${SAMPLES_PER_SECOND},scale=${SAMPLE_SIDE}:${SAMPLE_SIDE},format=gray`,
    '-f', 'rawvideo', '-y', samplesPath,
  ];
}

export function posterExtractArgs(video: string, seconds: number, posterPath: string): string[] {
  return ['-ss', seconds.toFixed(3), '-i', video, '-frames:v', '1', '-an', '-q:v', '3', '-map_metadata', '-1', '-fflags', '+bitexact', '-y', posterPath];
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
