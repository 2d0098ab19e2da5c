import { MediaRejectedError, RejectionCode } from './media.types';

/**
 * What we tell the educator, in plain words they can act on from a phone. Short sentences and
 * common words, so they also survive machine translation into Khmer.
 */
const MESSAGES: Record<Exclude<RejectionCode, typeof RejectionCode.TooLong | typeof RejectionCode.TooManyPixels>, string> = {
  [RejectionCode.NotAVideo]: 'This file is not a video we can open. Choose the video from your phone gallery and upload it again.',
  [RejectionCode.NoVideoStream]: 'This file has sound but no picture. Please upload a video, not just a sound recording.',
  [RejectionCode.Truncated]:
    'This file is not a complete video. The upload may have been cut off; record or export it again and upload once more.',
  [RejectionCode.ZeroDuration]: 'This video is empty (0 seconds long). Record it again and upload once more.',
  [RejectionCode.NotAnImage]: 'This file is not a photo we can open. Choose the photo from your phone gallery (JPEG or PNG) and upload it again.',
  [RejectionCode.CorruptImage]: 'This photo is damaged or was not uploaded completely. Upload it again, or take the photo again.',
  [RejectionCode.HeicUnsupported]:
    'This photo is in HEIC format, which we cannot open yet. Share it as JPEG instead: on iPhone, use Share → Options → Most Compatible, ' +
    'or set Settings → Camera → Formats → Most Compatible before taking photos.',
  [RejectionCode.UnsupportedFormat]: 'We cannot open this type of file. Please upload a JPEG or PNG photo, or an MP4 video.',
};

export function rejection(code: keyof typeof MESSAGES): MediaRejectedError {
  return new MediaRejectedError(code, MESSAGES[code]);
}

export function tooLong(durationMs: number, limitSeconds: number): MediaRejectedError {
  return new MediaRejectedError(
    RejectionCode.TooLong,
    `This video is ${describeLength(durationMs / 1000)} long; the limit is ${describeLength(limitSeconds)}. ` +
      'Cut it into shorter parts (or trim it on your phone) and upload each part.',
    { durationSeconds: Math.round(durationMs / 1000), limitSeconds },
  );
}

export function tooManyPixels(width: number, height: number, limit: number): MediaRejectedError {
  return new MediaRejectedError(
    RejectionCode.TooManyPixels,
    `This image is too large (${width} × ${height} pixels; the limit is ${Math.floor(limit / 1_000_000)} megapixels). ` +
      'Upload a normal phone photo, or resize the image first.',
    { width, height, limitMegapixels: Math.floor(limit / 1_000_000) },
  );
}

function describeLength(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} seconds`;
  const minutes = Math.round((seconds / 60) * 10) / 10;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
