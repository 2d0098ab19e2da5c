/** Turns ffprobe's JSON into our VideoProbe, and ffprobe's complaints into rejections. Pure. */
import { rejection } from './media-rejections';
import { MediaRejectedError, RejectionCode, VideoProbe } from './media.types';

export interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  bit_rate?: string;
  duration?: string;
  color_transfer?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string };
}

const HDR_TRANSFERS = new Set(['smpte2084', 'arib-std-b67']);
/** Phones record "30 fps" as 29.97 or 29.6 average; only a real spread means variable frame rate. */
const VFR_TOLERANCE = 0.02;

export function parseProbe(output: FfprobeOutput): VideoProbe {
  const streams = output.streams ?? [];
  const durationMs = Math.round(1000 * (seconds(output.format?.duration) ?? 0));
  // An MP4 with its header but no frames (a recording stopped at once) has no streams either: say "empty".
  if (durationMs <= 0) throw rejection(RejectionCode.ZeroDuration);
  // Cover art in an audio file shows up as a one-frame "video" stream: it is not a video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) throw rejection(RejectionCode.NoVideoStream);
  const audio = streams.find((s) => s.codec_type === 'audio');

  const rotation = parseRotation(video);
  const sideways = rotation === 90 || rotation === 270;
  const realFps = rate(video.r_frame_rate);
  const averageFps = rate(video.avg_frame_rate);
  return {
    durationMs,
    width: (sideways ? video.height : video.width) ?? 0,
    height: (sideways ? video.width : video.height) ?? 0,
    rotation,
    videoCodec: video.codec_name ?? 'unknown',
    pixelFormat: video.pix_fmt ?? 'unknown',
    bitDepth: bitDepth(video),
    fps: round2(averageFps || realFps),
    variableFrameRate: realFps > 0 && averageFps > 0 && Math.abs(realFps - averageFps) / realFps > VFR_TOLERANCE,
    bitRate: int(video.bit_rate) ?? int(output.format?.bit_rate),
    hdr: HDR_TRANSFERS.has(video.color_transfer ?? ''),
    audioCodec: audio?.codec_name ?? null,
    audioChannels: audio?.channels ?? null,
    formatName: output.format?.format_name ?? 'unknown',
  };
}

/**
 * Degrees to turn the picture clockwise to show it upright. The display matrix (ffmpeg ≥ 5) gives
 * the counter-clockwise angle; the legacy `rotate` tag (older phones and muxers) the clockwise one.
 */
export function parseRotation(stream: Pick<FfprobeStream, 'side_data_list' | 'tags'>): VideoProbe['rotation'] {
  const matrix = stream.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
  const clockwise = matrix ? -matrix.rotation! : Number(stream.tags?.rotate ?? 0);
  const normalised = ((Math.round(clockwise / 90) * 90) % 360 + 360) % 360;
  return normalised as VideoProbe['rotation'];
}

/** 'yuv420p10le' → 10. bits_per_raw_sample is often missing for HEVC, so the pixel format decides. */
export function bitDepth(stream: Pick<FfprobeStream, 'pix_fmt' | 'bits_per_raw_sample'>): number {
  const fromFormat = /p(\d{2})(le|be)$/.exec(stream.pix_fmt ?? '');
  if (fromFormat) return Number(fromFormat[1]);
  return int(stream.bits_per_raw_sample) ?? 8;
}

const ISO_BMFF_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide']);

/**
 * ffprobe failed outright: was the file cut off, or never a video? ffprobe says "moov atom not found"
 * for any file named .mp4, text included, so only a file that starts like an MP4 counts as cut off.
 */
export function classifyProbeFailure(stderr: string, head: Buffer): MediaRejectedError {
  const startsLikeMp4 = head.length >= 8 && ISO_BMFF_FIRST_BOXES.has(head.toString('latin1', 4, 8));
  if (startsLikeMp4 && /moov atom not found|partial file|Invalid data found/i.test(stderr)) return rejection(RejectionCode.Truncated);
  return rejection(RejectionCode.NotAVideo);
}

function rate(fraction: string | undefined): number {
  const [num, den] = (fraction ?? '0/0').split('/').map(Number);
  return den > 0 && Number.isFinite(num) ? num / den : 0;
}

function seconds(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) ? n : undefined;
}

function int(value: string | undefined): number | null {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : null;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
