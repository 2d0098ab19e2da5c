import type { Cue, CueProblem, CueWarning, CueWarningKind } from '../caption.types';
import { cueMessages } from './cue-messages';
import { countGraphemes } from './graphemes';
import { describeTime } from './timestamp';

/**
 * Reading guidance for subtitles (the figures most broadcasters and Netflix's guide use). Warnings only:
 * a testimony may need a fast cue, and the editor decides.
 */
export const READING_GUIDANCE = {
  maxCharsPerSecond: 17,
  maxLineGraphemes: 42,
  maxLines: 2,
  minDurationMs: 800,
  maxDurationMs: 7000,
  minGapMs: 80,
} as const;

/** Longer than any caption a person can read in a cue; also bounds what a renderer is handed. */
export const MAX_CUE_TEXT_GRAPHEMES = 500;

export interface ValidateCuesOptions {
  /** Video length; cues ending after it are refused. */
  durationMs?: number;
  /** Language of the text, for grapheme segmentation. */
  language?: string;
  /** 1-based file line of each cue, when the cues come from a parsed file. */
  cueLines?: readonly number[];
}

export interface CueValidation {
  problems: CueProblem[];
  warnings: CueWarning[];
}

/**
 * Checks cues in file order. Out-of-order cues are reported, not sorted: the editor shows the order the
 * person wrote, and a silent sort would hide a typo in a time.
 */
export function validateCues(cues: readonly Cue[], options: ValidateCuesOptions = {}): CueValidation {
  const result: CueValidation = { problems: [], warnings: [] };
  let previous: { cue: Cue; n: number } | undefined;
  cues.forEach((cue, index) => {
    const n = index + 1;
    const problem = (found: Omit<CueProblem, 'cue'>): void => {
      result.problems.push({ ...found, cue: n, ...(options.cueLines ? { line: options.cueLines[index] } : {}) });
    };
    const warn: Warn = (kind, value, limit, message) => result.warnings.push({ cue: n, kind, value, limit, message });
    checkText(cue, n, options.language, problem, warn);
    if (!Number.isFinite(cue.startMs) || !Number.isFinite(cue.endMs)) return problem(cueMessages.invalidTime(n));
    if (cue.startMs < 0 || cue.endMs < 0) return problem(cueMessages.negativeTime(n));
    if (cue.endMs <= cue.startMs) problem(cueMessages.endNotAfterStart(n, cue));
    if (options.durationMs !== undefined && cue.endMs > options.durationMs) {
      problem({
        kind: 'past-end',
        values: { startMs: cue.startMs, endMs: cue.endMs, durationMs: options.durationMs },
        message: `Cue ${n} (${describeTime(cue.startMs)}) ends at ${describeTime(cue.endMs)}, after the video ends (${describeTime(options.durationMs)}). Shorten it or delete it.`,
      });
    }
    checkTiming(cue, n, warn);
    if (previous) checkOrder(previous, cue, n, problem, warn);
    previous = { cue, n };
  });
  return result;
}

/** Reading guidance with its measure, so clients can word it in the reader's language. */
type Warn = (kind: CueWarningKind, value: number, limit: number, message: string) => void;
type Problem = (found: Omit<CueProblem, 'cue'>) => void;

function checkText(cue: Cue, n: number, language: string | undefined, problem: Problem, warn: Warn): void {
  const at = `Cue ${n} (${describeTime(cue.startMs)})`;
  if (cue.text.trim() === '') return problem(cueMessages.noText(n, cue));
  // A string's UTF-16 length is never below its grapheme count: only long strings need segmenting.
  if (cue.text.length > MAX_CUE_TEXT_GRAPHEMES && countGraphemes(cue.text, language) > MAX_CUE_TEXT_GRAPHEMES) {
    return problem({
      kind: 'text-too-long',
      values: { startMs: cue.startMs, max: MAX_CUE_TEXT_GRAPHEMES },
      message: `${at} has more than ${MAX_CUE_TEXT_GRAPHEMES} characters. Split it into several cues.`,
    });
  }
  const lines = cue.text.split('\n');
  if (lines.length > READING_GUIDANCE.maxLines) warn('lines', lines.length, READING_GUIDANCE.maxLines, `${at} has ${lines.length} lines; two at most are easy to read.`);
  const lengths = lines.map((line) => countGraphemes(line, language));
  const longest = Math.max(...lengths);
  if (longest > READING_GUIDANCE.maxLineGraphemes) {
    warn('long-line', longest, READING_GUIDANCE.maxLineGraphemes, `${at} has a line of ${longest} characters; lines over ${READING_GUIDANCE.maxLineGraphemes} are hard to read on a phone.`);
  }
  const seconds = (cue.endMs - cue.startMs) / 1000;
  const characters = lengths.reduce((sum, length) => sum + length, 0);
  if (seconds > 0 && characters / seconds > READING_GUIDANCE.maxCharsPerSecond) {
    const rate = Math.round((characters / seconds) * 10) / 10;
    warn('too-fast', rate, READING_GUIDANCE.maxCharsPerSecond, `${at} asks for ${rate} characters per second; over ${READING_GUIDANCE.maxCharsPerSecond} is too fast to read. Lengthen it or shorten the text.`);
  }
}

function checkTiming(cue: Cue, n: number, warn: Warn): void {
  const duration = cue.endMs - cue.startMs;
  if (duration <= 0) return;
  const at = `Cue ${n} (${describeTime(cue.startMs)})`;
  if (duration < READING_GUIDANCE.minDurationMs) warn('too-short', duration, READING_GUIDANCE.minDurationMs, `${at} is on screen for only ${duration} ms; under ${READING_GUIDANCE.minDurationMs} ms it flashes past.`);
  if (duration > READING_GUIDANCE.maxDurationMs) warn('too-long', duration, READING_GUIDANCE.maxDurationMs, `${at} stays on screen for ${(duration / 1000).toFixed(1)} s; over ${READING_GUIDANCE.maxDurationMs / 1000} s, consider splitting it.`);
}

function checkOrder(previous: { cue: Cue; n: number }, cue: Cue, n: number, problem: Problem, warn: Warn): void {
  const at = `Cue ${n} (${describeTime(cue.startMs)})`;
  if (cue.startMs < previous.cue.startMs) {
    return problem({
      kind: 'out-of-order',
      values: { startMs: cue.startMs, otherCue: previous.n, otherStartMs: previous.cue.startMs },
      message: `${at} starts before cue ${previous.n} (${describeTime(previous.cue.startMs)}). Cues must be in time order: check its start time.`,
    });
  }
  if (cue.startMs < previous.cue.endMs) {
    return problem({
      kind: 'overlap',
      values: { startMs: cue.startMs, otherCue: previous.n, otherEndMs: previous.cue.endMs },
      message: `${at} overlaps cue ${previous.n}, which ends at ${describeTime(previous.cue.endMs)}. Move its start or the end of cue ${previous.n}.`,
    });
  }
  const gap = cue.startMs - previous.cue.endMs;
  if (gap > 0 && gap < READING_GUIDANCE.minGapMs) {
    warn('gap', gap, READING_GUIDANCE.minGapMs, `${at} starts ${gap} ms after cue ${previous.n} ends; a gap under ${READING_GUIDANCE.minGapMs} ms looks like a flicker. Close the gap or widen it.`);
  }
}
