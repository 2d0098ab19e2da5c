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
export const UPLOADED_INPUT_OPTIONS = ['-protocol_whitelist', 'file', '-format_whitelist', UPLOADED_CONTAINERS.join(',')];

/** `-i file` for ffmpeg, opened as UPLOADED_INPUT_OPTIONS says. */
export function uploadedInput(path: string): string[] {
  return [...UPLOADED_INPUT_OPTIONS, '-i', path];
}
