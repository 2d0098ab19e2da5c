import type { Cue, CueProblem } from '../caption.types';
import { cueMessages } from './cue-messages';
import { sanitizeCueText } from './cue-text.sanitizer';
import { parseTimingLine } from './timestamp';

/** Far above any testimony (a two-hour film has ~1,500 cues); stops a hostile file from costing memory and time. */
export const MAX_CUES = 10_000;

export interface ParsedCaptions {
  cues: Cue[];
  problems: CueProblem[];
  /** 1-based line of each cue's timing, so later checks can point at the line in the file. */
  cueLines: number[];
}

export interface CueBlockFormat {
  /** Example time range shown in messages, in the format's own notation. */
  example: string;
  /** Removes format-specific escapes before the common sanitising. */
  cleanText(raw: string): string;
  /** Blocks that are not cues and are skipped whole (VTT NOTE, STYLE, REGION). */
  isSkippedBlock?(firstLine: string): boolean;
}

const isBlank = (line: string): boolean => line.trim() === '';
const isTiming = (line: string): boolean => line.includes('-->');
const quote = (line: string): string => JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);

/**
 * SRT and VTT share one shape: blocks separated by blank lines, each an optional counter or identifier,
 * a "start --> end" line, then text. One reader keeps their tolerance (and line numbers) identical.
 */
export function readCueBlocks(lines: readonly string[], from: number, format: CueBlockFormat): ParsedCaptions {
  const result: ParsedCaptions = { cues: [], problems: [], cueLines: [] };
  const n = lines.length;
  // A counter line directly followed by a timing line starts a new cue even without the blank line
  // between them; hand-edited files often lose it.
  const startsCue = (j: number): boolean => isTiming(lines[j]) || (j + 1 < n && /^\s*\d+\s*$/.test(lines[j]) && isTiming(lines[j + 1]));
  let i = from;
  while (i < n) {
    if (isBlank(lines[i])) {
      i++;
      continue;
    }
    if (format.isSkippedBlock?.(lines[i]) || !(isTiming(lines[i]) || (i + 1 < n && isTiming(lines[i + 1])))) {
      if (!format.isSkippedBlock?.(lines[i])) {
        result.problems.push({ kind: 'bad-time-range', line: i + 1, values: { found: lines[i].trim().slice(0, 80) }, message: `Line ${i + 1}: expected a time range like ${format.example}, found ${quote(lines[i])}.` });
      }
      while (i < n && !isBlank(lines[i])) i++;
      continue;
    }
    if (result.cues.length >= MAX_CUES) {
      // One problem, not one per extra cue: the file is refused as a whole.
      result.problems.push({ kind: 'too-many-cues', line: i + 1, values: { max: MAX_CUES }, message: `This file has more than ${MAX_CUES.toLocaleString('en')} cues, more than any testimony needs. Check that it is the right file.` });
      return result;
    }
    const timingAt = isTiming(lines[i]) ? i : i + 1;
    let end = timingAt + 1;
    while (end < n && !isBlank(lines[end]) && !startsCue(end)) end++;
    addCue(result, lines, timingAt, end, format);
    i = end;
  }
  if (result.cues.length === 0 && result.problems.length === 0) result.problems.push({ kind: 'no-cues', message: 'No captions were found in this file.' });
  return result;
}

function addCue(result: ParsedCaptions, lines: readonly string[], timingAt: number, end: number, format: CueBlockFormat): void {
  const line = timingAt + 1;
  const timing = parseTimingLine(lines[timingAt]);
  if (timing?.startMs === undefined || timing.endMs === undefined) {
    result.problems.push({ kind: 'bad-time-range', line, values: { found: lines[timingAt].trim().slice(0, 80) }, message: `Line ${line}: ${quote(lines[timingAt].trim())} is not a valid time range. Write it like ${format.example}.` });
    return;
  }
  const cue: Cue = { startMs: timing.startMs, endMs: timing.endMs, text: sanitizeCueText(format.cleanText(lines.slice(timingAt + 1, end).join('\n'))) };
  result.cues.push(cue);
  result.cueLines.push(line);
  const number = result.cues.length;
  if (cue.endMs <= cue.startMs) result.problems.push({ line, ...cueMessages.endNotAfterStart(number, cue) });
  if (cue.text === '') result.problems.push({ line, ...cueMessages.noText(number, cue) });
}

export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);
