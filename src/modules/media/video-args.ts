/** ffmpeg argument lists for the plan. Pure: the transcoder only runs them. */
import { PosterFiles, posterFilter, posterOutputArgs } from './poster-frame';
import { uploadedInput } from './uploaded-input';
import { AudioTarget, EncodeTarget, VideoPlan } from './video-plan';

/**
 * Leaves no location, device, creation time or chapters (global and per stream) and no file-level
 * "encoder: Lavf…" tag (bitexact). ffmpeg 5.1 always tags a re-encoded track "Lavc libx264"; that
 * names our encoder, not the phone, so it stays. +faststart puts the index first for quick playback.
 */
const CLEAN_MP4 = ['-map_metadata', '-1', '-map_metadata:s', '-1', '-map_chapters', '-1', '-fflags', '+bitexact', '-movflags', '+faststart', '-f', 'mp4'];

/** Tone-maps PQ/HLG to BT.709 SDR (zscale and tonemap are in Debian's ffmpeg 5.1). */
const TONE_MAP = 'zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv';

/** The input as it already is, in a clean MP4 with the index first, video and first audio only. */
export function remuxArgs(input: string, output: string): string[] {
  return [...uploadedInput(input), '-map', '0:V:0', '-map', '0:a:0?', '-c', 'copy', ...CLEAN_MP4, '-y', output];
}

/**
 * One rendition alone. Transcoded videos get the review copy first (the item goes to review when it is
 * done) and the publish rendition from a second job; a remux gets its review copy from a later job too.
 */
export function renditionArgs(input: string, plan: VideoPlan, which: 'publish' | 'review', path: string, poster?: PosterFiles): string[] {
  const target = plan[which];
  const video = `[0:V:0]${commonFilters(plan)}${scaleTo(target)}`;
  if (!poster) return [...uploadedInput(input), '-filter_complex', `${video}[out]`, ...outputArgs('[out]', plan, target, path)];
  // The poster's frames come out of the same filters, so they are upright, SDR, 8-bit and at the rendition's size.
  return [...uploadedInput(input), '-filter_complex', `${video},split=2[out][poster];${posterFilter('poster')}`, ...outputArgs('[out]', plan, target, path), ...posterOutputArgs(poster)];
}

/** ffmpeg applies the rotation while decoding (autorotate) and then drops the display matrix. */
function commonFilters(plan: VideoPlan): string {
  const filters = [plan.toneMap ? TONE_MAP : null, plan.fpsCap ? `fps=${plan.fpsCap}` : null].filter(Boolean);
  return filters.length > 0 ? `${filters.join(',')},` : '';
}

function scaleTo(target: EncodeTarget): string {
  return `scale=${target.size.width}:${target.size.height}:flags=${target.scaler},setsar=1,format=yuv420p`;
}

function audioCodecArgs(audio: AudioTarget): string[] {
  return audio === 'copy' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', audio.bitrate, '-ac', String(audio.channels)];
}

function outputArgs(videoLabel: string, plan: VideoPlan, target: EncodeTarget, output: string): string[] {
  const keyframeInterval = 2 * Math.ceil(plan.fpsCap ?? 30);
  const audio = !plan.hasAudio ? [] : ['-map', '0:a:0', ...audioCodecArgs(target.audio)];
  return [
    '-map', videoLabel,
    ...audio,
    '-c:v', 'libx264', '-preset', target.preset, '-crf', String(target.crf),
    '-maxrate', String(target.maxrate), '-bufsize', String(target.bufsize),
    '-pix_fmt', 'yuv420p', '-profile:v', 'high',
    // A keyframe every 2 s whatever the frame rate, so players can seek and start quickly.
    '-g', String(keyframeInterval), '-force_key_frames', 'expr:gte(t,n_forced*2)',
    ...(plan.toneMap ? ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] : []),
    ...CLEAN_MP4,
    '-y', output,
  ];
}
