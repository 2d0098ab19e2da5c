/**
 * Timed text for a testimony. Facebook autoplays video muted and the audience reads Khmer, so a
 * testimony without readable captions is one nobody hears. Times are whole milliseconds.
 */
export type CaptionLanguage = 'km' | 'en' | 'th';
export const CAPTION_LANGUAGES: readonly CaptionLanguage[] = ['km', 'en', 'th'];

/** Facebook's caption file names carry the locale: `<name>.km_KH.srt`. */
export const FACEBOOK_LOCALE: Record<CaptionLanguage, string> = { km: 'km_KH', en: 'en_US', th: 'th_TH' };

export interface Cue {
  startMs: number;
  endMs: number;
  /** Plain text; line breaks as '\n'. Never markup: formats escape what they must. */
  text: string;
}

export type CueProblemKind =
  /** The file's bytes. */
  | 'not-utf8'
  | 'legacy-khmer'
  /** The file's layout. */
  | 'missing-webvtt-header'
  | 'bad-time-range'
  | 'too-many-cues'
  | 'no-cues'
  /** One cue. */
  | 'invalid-time'
  | 'negative-time'
  | 'end-not-after-start'
  | 'no-text'
  | 'text-too-long'
  | 'past-end'
  /** A cue and the one before it. */
  | 'out-of-order'
  | 'overlap';

/** A problem that makes a file or an edit unacceptable, with the line it was found on (1-based) when known. */
export interface CueProblem {
  kind: CueProblemKind;
  line?: number;
  /** 1-based, as people count. */
  cue?: number;
  /** The figures the message quotes (times in ms, counts, the text found), so clients can word it in the reader's language. */
  values?: Record<string, number | string>;
  /** In English, with what to do. */
  message: string;
}

export type CueWarningKind = 'lines' | 'long-line' | 'too-fast' | 'too-short' | 'too-long' | 'gap';
export const CUE_WARNING_KINDS: readonly CueWarningKind[] = ['lines', 'long-line', 'too-fast', 'too-short', 'too-long', 'gap'];

/** Reading guidance: reported, never a refusal. */
export interface CueWarning {
  /** 1-based, as people count. */
  cue: number;
  kind: CueWarningKind;
  /** What was measured: lines, graphemes in the longest line, graphemes a second, or milliseconds. */
  value: number;
  /** The guidance it goes past, in the same unit. */
  limit: number;
  /** In English; clients that speak the reader's language word it from kind, value and limit. */
  message: string;
}

export type CaptionFormat = 'srt' | 'vtt' | 'ass';
