/**
 * The transcode policy, as a pure function of the probe: remux when the upload already is what the
 * Page needs, otherwise the light review copy first and the publish rendition after it. Kept pure so every rule has a unit test.
 */
import { VideoProbe } from './media.types';

export interface Size {
  width: number;
  height: number;
}

export interface EncodeTarget {
  size: Size;
  crf: number;
  /** Bits per second; CRF alone can make a rendition larger than the upload (measured: 24.7 vs 15.5 Mbit/s). */
  maxrate: number;
  bufsize: number;
  audio: AudioTarget;
  /** x264 speed preset and scaler: the review copy is what reviewers wait for, so it trades quality for speed. */
  preset: 'veryfast' | 'ultrafast';
  scaler: 'bicubic' | 'bilinear';
}

/** 'copy' keeps the source's audio as it is; otherwise it is encoded to AAC at this bitrate and channel count. */
export type AudioTarget = 'copy' | { bitrate: string; channels: number };

export interface VideoPlan {
  /** Empty when the publish rendition can be a plain remux of the input. */
  transcodeReasons: string[];
  publish: EncodeTarget;
  review: EncodeTarget;
  /** Output frame rate cap, or null to keep the source timing (including variable frame rate). */
  fpsCap: number | null;
  /** HDR is tone-mapped to SDR; 10-bit SDR only needs converting to 8-bit. */
  toneMap: boolean;
  hasAudio: boolean;
}

export const PUBLISH_SHORT_EDGE = 1080;
export const REVIEW_SHORT_EDGE = 480;
export const MAX_FPS = 30;
/** A 30 fps phone clip can average 30.01; that is not "above 30". */
const FPS_TOLERANCE = 0.5;
/** Re-encoding a file a little over the cap costs a full encode for a small saving. */
const REMUX_BITRATE_SLACK = 1.25;

const BITRATE_CAPS: { maxShortEdge: number; maxrate: number }[] = [
  { maxShortEdge: 360, maxrate: 1_000_000 },
  { maxShortEdge: 480, maxrate: 1_500_000 },
  { maxShortEdge: 720, maxrate: 3_500_000 },
  { maxShortEdge: 1080, maxrate: 6_000_000 },
];

/** The -maxrate for a picture whose short edge is `shortEdge`; -bufsize is twice that. */
export function bitrateCap(shortEdge: number): number {
  return (BITRATE_CAPS.find((cap) => shortEdge <= cap.maxShortEdge) ?? BITRATE_CAPS[BITRATE_CAPS.length - 1]).maxrate;
}

/** Scales so the short edge is at most `maxShortEdge` (never up), keeping aspect, both sides even (yuv420p needs it). */
export function fitShortEdge(source: Size, maxShortEdge: number): Size {
  const scale = Math.min(1, maxShortEdge / Math.min(source.width, source.height));
  const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
  return { width: even(source.width), height: even(source.height) };
}

export function transcodeReasons(probe: VideoProbe): string[] {
  const shortEdge = Math.min(probe.width, probe.height);
  const checks: [boolean, string][] = [
    [probe.videoCodec !== 'h264', `video codec ${probe.videoCodec}`],
    [probe.pixelFormat !== 'yuv420p' || probe.bitDepth !== 8, `pixel format ${probe.pixelFormat}`],
    [probe.hdr, 'HDR'],
    [probe.rotation !== 0, `rotation ${probe.rotation}`],
    [shortEdge > PUBLISH_SHORT_EDGE, `short edge ${shortEdge}`],
    [probe.width % 2 === 1 || probe.height % 2 === 1, 'odd dimensions'],
    [probe.fps > MAX_FPS + FPS_TOLERANCE, `${probe.fps} fps`],
    [probe.bitRate === null || probe.bitRate > bitrateCap(shortEdge) * REMUX_BITRATE_SLACK, `bitrate ${probe.bitRate ?? 'unknown'}`],
    [probe.audioCodec !== null && !audioPlaysEverywhere(probe), `audio ${probe.audioCodec}`],
  ];
  return checks.filter(([failed]) => failed).map(([, reason]) => reason);
}

/** AAC in mono or stereo: what every browser and the Page play, so it never needs re-encoding. */
function audioPlaysEverywhere(probe: VideoProbe): boolean {
  return probe.audioCodec === 'aac' && (probe.audioChannels ?? 0) <= 2;
}

/**
 * Variable frame rate alone does not force a transcode: MP4 keeps each frame's timestamp and
 * phones record VFR all the time, so re-encoding only to make it constant would cost a full encode.
 */
export function planVideo(probe: VideoProbe): VideoPlan {
  const publishSize = fitShortEdge(probe, PUBLISH_SHORT_EDGE);
  const reviewSize = fitShortEdge(probe, REVIEW_SHORT_EDGE);
  const publishCap = bitrateCap(Math.min(publishSize.width, publishSize.height));
  // A phone's AAC is copied, not encoded again: no second generation of loss in a testimony's voice, and
  // the AAC encoder runs on ffmpeg's main thread beside the filters (measured: 1 CPU-second a minute,
  // about 1 s of the review copy's wait).
  const keep = audioPlaysEverywhere(probe);
  return {
    transcodeReasons: transcodeReasons(probe),
    publish: { size: publishSize, crf: 23, maxrate: publishCap, bufsize: 2 * publishCap, audio: keep ? 'copy' : { bitrate: '128k', channels: 2 }, preset: 'veryfast', scaler: 'bicubic' },
    // Mono when encoding: reviewers listen to speech, and 64k mono sounds better than 64k stereo. ultrafast
    // and bilinear: the item reaches review when this copy is done (measured: about half the time of
    // veryfast and bicubic on 2 cores), and the maxrate keeps its file as small whatever the preset.
    review: { size: reviewSize, crf: 28, maxrate: 800_000, bufsize: 1_600_000, audio: keep ? 'copy' : { bitrate: '64k', channels: 1 }, preset: 'ultrafast', scaler: 'bilinear' },
    fpsCap: probe.fps > MAX_FPS + FPS_TOLERANCE ? MAX_FPS : null,
    toneMap: probe.hdr,
    hasAudio: probe.audioCodec !== null,
  };
}
