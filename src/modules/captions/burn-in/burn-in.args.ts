/** ffmpeg argument lists for burning an ASS script into video. Pure: the burner only runs them. */

/**
 * Where libass looks for the caption fonts. Debian's `fonts-khmeros` installs "Khmer OS Battambang"
 * and its family here; naming the folder (not only relying on fontconfig) keeps the Khmer font found
 * in a container whose fontconfig cache was built before the package was installed.
 */
export const CAPTION_FONTS_DIR = '/usr/share/fonts/truetype/khmeros';

/**
 * Burned-in captions are a re-encode of the publish rendition: the same caps as transcoding (CRF 23,
 * a maxrate so the result is never larger than it needs to be, a keyframe every 2 s) and the same
 * clean MP4 (no location, device or chapter metadata; the index first for quick playback).
 */
const ENCODE = [
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-maxrate', '6M', '-bufsize', '12M',
  '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-force_key_frames', 'expr:gte(t,n_forced*2)',
];
const CLEAN_MP4 = ['-map_metadata', '-1', '-map_metadata:s', '-1', '-map_chapters', '-1', '-fflags', '+bitexact', '-movflags', '+faststart', '-f', 'mp4'];

/**
 * The `ass` filter, not `subtitles`: in ffmpeg 5.1 `subtitles` shapes with libass's simple shaper,
 * which tears Khmer apart (subscript consonants and pre-base vowels drawn as separate marks), while
 * `ass` defaults to HarfBuzz ("complex") shaping.
 */
export function assFilter(scriptPath: string, fontsDir: string = CAPTION_FONTS_DIR): string {
  return `ass=filename=${escapeFilterValue(scriptPath)}:fontsdir=${escapeFilterValue(fontsDir)}:shaping=complex`;
}

/** Video re-encoded with the captions drawn in; the audio is copied untouched (no generation loss). */
export function burnArgs(input: string, filter: string, output: string): string[] {
  return ['-i', input, '-map', '0:v:0', '-map', '0:a:0?', '-vf', filter, ...ENCODE, '-c:a', 'copy', ...CLEAN_MP4, '-y', output];
}

/**
 * One frame for the editor's preview. `-ss` before `-i` seeks by keyframe index (fast on a long
 * testimony); `-copyts` keeps the frame's original timestamp, without which the seeked frame would
 * start at 0 and the `ass` filter would draw the cues of the first second instead of those at `atSeconds`.
 */
export function frameArgs(input: string, filter: string, atSeconds: number, outputPng: string): string[] {
  return ['-ss', atSeconds.toFixed(3), '-copyts', '-i', input, '-map', '0:v:0', '-vf', filter, '-frames:v', '1', '-f', 'image2', '-c:v', 'png', '-y', outputPng];
}

/** The longest side of the editor's preview: enough to judge the captions on a phone or a laptop. */
export const PREVIEW_MAX_SIDE = 720;

/**
 * The editor's preview: the frame as `frameArgs` draws it (captions at full size, as burn-in draws
 * them), then scaled down to a small JPEG that is quick to send to a phone.
 */
export function previewArgs(input: string, filter: string, atSeconds: number, outputJpeg: string): string[] {
  // Fit inside the box, never enlarging a small video.
  const fit = `scale=w='min(iw,${PREVIEW_MAX_SIDE})':h='min(ih,${PREVIEW_MAX_SIDE})':force_original_aspect_ratio=decrease:force_divisible_by=2`;
  return ['-ss', atSeconds.toFixed(3), '-copyts', '-i', input, '-map', '0:v:0', '-vf', `${filter},${fit}`, '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', '-q:v', '3', '-y', outputJpeg];
}

/**
 * A value in a filtergraph goes through two parsers (ffmpeg's "Notes on filtergraph escaping"): the
 * filter's option parser, where `\`, `'` and `:` are special, then the graph parser, where `\`, `'`,
 * `[`, `]`, `,` and `;` are. A path with a colon or a quote (allowed in Linux file names) would
 * otherwise split into bogus options or silently point at another file.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, '\\$&');
  return optionLevel.replace(/[\\'[\],;]/g, '\\$&');
}
