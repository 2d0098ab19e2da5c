import { extname } from 'node:path';
import { Cue } from './caption.types';
import { captionsRefused } from './caption-problems';
import { decodeCaptionFile, parseAndValidateSrt, parseAndValidateVtt } from './formats';

/** The one file of an import, as multer hands it over (kept in memory: caption files are small). */
export interface CaptionUpload {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/**
 * Reads an SRT or WebVTT file into cues, or refuses it with every problem and its line. The content decides
 * before the name does: phones rename files, but a WebVTT file always starts with "WEBVTT".
 */
export function readCaptionFile(file: CaptionUpload, durationMs: number | undefined): { cues: Cue[]; format: 'srt' | 'vtt' } {
  const decoded = decodeCaptionFile(file.buffer);
  if ('problem' in decoded) throw captionsRefused([decoded.problem]);
  const looksVtt = /^\uFEFF?WEBVTT/.test(decoded.text) || extname(file.originalname).toLowerCase() === '.vtt';
  const format = looksVtt ? 'vtt' : 'srt';
  const { cues, problems } = (format === 'vtt' ? parseAndValidateVtt : parseAndValidateSrt)(decoded.text, { durationMs });
  if (problems.length > 0) throw captionsRefused(problems);
  return { cues, format };
}
