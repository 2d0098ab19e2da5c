import { ErrorCode, ErrorFigures } from '../../common/errors/app-error';
/**
 * What the media adapters (ffmpeg, sharp) promise the processing job. The job decides and stores;
 * the adapters only turn files into files.
 */

/** A file the adapters refuse for good: retrying cannot help, and the educator must be told why. */
/** Why a file can never become a rendition: codes of the one error model, so the web app can word them. */
export const RejectionCode = {
  NotAVideo: ErrorCode.MediaNotAVideo,
  NoVideoStream: ErrorCode.MediaNoVideoStream,
  Truncated: ErrorCode.MediaTruncated,
  ZeroDuration: ErrorCode.MediaZeroDuration,
  TooLong: ErrorCode.MediaTooLong,
  NotAnImage: ErrorCode.MediaNotAnImage,
  CorruptImage: ErrorCode.MediaCorruptImage,
  TooManyPixels: ErrorCode.MediaTooManyPixels,
  HeicUnsupported: ErrorCode.MediaHeicUnsupported,
  UnsupportedFormat: ErrorCode.MediaUnsupportedFormat,
} as const;
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

export class MediaRejectedError extends Error {
  /** `message` is written for the educator: what is wrong and what to do, in plain words. */
  constructor(
    readonly code: RejectionCode,
    message: string,
    /** The numbers the message quotes, for the educator's language. */
    readonly figures?: ErrorFigures,
  ) {
    super(message);
    this.name = 'MediaRejectedError';
  }
}

export interface VideoProbe {
  durationMs: number;
  /** As displayed, with the rotation applied: a portrait phone video has height > width. */
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  videoCodec: string;
  pixelFormat: string;
  bitDepth: number;
  fps: number;
  variableFrameRate: boolean;
  /** Bits per second of the video stream (or the whole file when the stream does not say). */
  bitRate: number | null;
  hdr: boolean;
  audioCodec: string | null;
  audioChannels: number | null;
  formatName: string;
}

export interface RenditionFile {
  path: string;
  mimeType: string;
  /** File extension for the storage key, without the dot: mp4, jpg, webp. */
  extension: string;
  width: number;
  height: number;
  durationMs: number | null;
  byteSize: number;
  details: Record<string, unknown>;
}

/**
 * What the first pass over a video makes: enough for reviewers to watch it. Exactly one of `publish` and
 * `review` is set; the other is made afterwards by a job of its own, while the item is already in review.
 */
export interface VideoOutputs {
  /**
   * For the Page: H.264 yuv420p, at most 1080p short edge and 30 fps, AAC or no audio, +faststart, no
   * metadata. Set only when it is a remux of the upload: it already plays in a browser, so reviewers
   * watch it at once. A transcoded publish rendition comes later (VideoRenderer.publish).
   */
  publish: RenditionFile | null;
  /**
   * For reviewers on weak links: about 480p, low bitrate. Made first when the upload must be
   * transcoded, since it is much quicker than the publish rendition; null after a remux.
   */
  review: RenditionFile | null;
  /** A frame that is neither black nor a fade, as JPEG, from the rendition made in this pass. */
  poster: RenditionFile;
  /** True when the publish rendition is a remux of the input (no re-encode). */
  remuxed: boolean;
}

/** One image output, with the asset role and variant it is stored under. */
export interface ImageOutput {
  role: 'publish' | 'preview' | 'thumbnail';
  /** e.g. 'jpeg', '320w-webp'; unique within a role. */
  variant: string;
  file: RenditionFile;
}

export interface ImageOutputs {
  outputs: ImageOutput[];
  /** A thumbhash, base64: a ~30-byte blurred preview the web app draws before any image arrives. */
  placeholder: string;
  width: number;
  height: number;
}

/** 0 to 100. */
export type ProgressListener = (percent: number) => void;
