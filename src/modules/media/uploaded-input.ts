import type { Readable } from 'node:stream';
import { MediaInput } from './media.types';

/**
 * How ffmpeg and ffprobe open a file someone uploaded. The upload was sniffed as a video (or, for
 * consent, a recording), but ffmpeg probes the bytes again, and some of its demuxers follow references
 * inside the file: an HLS playlist fetches its segments from any http(s) address or local media file,
 * a concat list opens other files. Allowing only the containers phones, cameras and browsers write, and
 * only the local file itself, means a file that got past the sniff still reads nothing but itself.
 */

/**
 * Demuxer names as `ffmpeg -demuxers` lists them; a demuxer with several names ("mov,mp4,m4a,3gp,3g2,mj2")
 * is allowed when one of them is here. Video first, then the audio-only ones consent recordings come in.
 */
const UPLOADED_CONTAINERS = ['mov', 'mp4', '3gp', 'matroska', 'webm', 'avi', 'mpegts', 'mpeg', 'flv', 'asf', 'ogg', 'm4a', 'mp3', 'aac', 'wav', 'flac', 'amr'];

/** Input options for ffprobe or ffmpeg, to go just before the uploaded file (before `-i` for ffmpeg). */
export function uploadedInputOptions(input: MediaInput): string[] {
  // A file still arriving is read from our own pipe, and then not even the file protocol is needed.
  return ['-protocol_whitelist', typeof input === 'string' ? 'file' : 'pipe', '-format_whitelist', UPLOADED_CONTAINERS.join(',')];
}

/** The input's URL for ffmpeg and ffprobe. */
export function inputUrl(input: MediaInput): string {
  return typeof input === 'string' ? input : 'pipe:0';
}

/** `-i file` for ffmpeg, opened as uploadedInputOptions says. */
export function uploadedInput(input: MediaInput): string[] {
  return [...uploadedInputOptions(input), '-i', inputUrl(input)];
}

/** A new reader of a file still arriving, for one ffmpeg or ffprobe run; none for a staged file. */
export function inputStream(input: MediaInput): Readable | undefined {
  return typeof input === 'string' ? undefined : input.openReader();
}

/** Where the input's bytes are on disk (a file still arriving: as far as it has come). */
export function pathOf(input: MediaInput): string {
  return typeof input === 'string' ? input : input.path;
}
