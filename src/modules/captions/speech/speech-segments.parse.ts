/** From silencedetect's events to proposed cue timings. Pure, so the rules are tested without ffmpeg. */
import { Cue } from '../caption.types';

export interface Silence {
  startMs: number;
  endMs: number;
}

export interface SegmentRules {
  /** A cue longer than this is hard to read in one go: split it. */
  maxCueMs: number;
  /** A pause shorter than this is a breath inside a phrase, not the end of a cue. */
  minGapMs: number;
  /** Speech shorter than this is a click or a cough, not something to caption. */
  minSpeechMs: number;
}

export const DEFAULT_SEGMENT_RULES: SegmentRules = { maxCueMs: 6000, minGapMs: 300, minSpeechMs: 300 };

/**
 * Reads the file `ametadata=mode=print` writes after `silencedetect`: `lavfi.silence_start=1.5` and
 * `lavfi.silence_end=2.9` lines among frame lines. A silence still open at the end of the file has
 * no end event: it lasts until `durationMs`.
 */
export function parseSilences(metadata: string, durationMs: number): Silence[] {
  const silences: Silence[] = [];
  let openStart: number | undefined;
  for (const line of metadata.split('\n')) {
    const match = /^lavfi\.silence_(start|end)=(-?[\d.]+)/.exec(line.trim());
    if (!match) continue;
    const ms = Math.max(0, Math.round(Number(match[2]) * 1000));
    if (match[1] === 'start') openStart = ms;
    else if (openStart !== undefined) {
      silences.push({ startMs: openStart, endMs: ms });
      openStart = undefined;
    }
  }
  if (openStart !== undefined && openStart < durationMs) silences.push({ startMs: openStart, endMs: durationMs });
  return silences;
}

/** The speech between the silences as empty cues for a person (or speech to text) to fill in. */
export function speechCues(silences: Silence[], durationMs: number, rules: SegmentRules = DEFAULT_SEGMENT_RULES): Cue[] {
  const merged: Silence[] = [];
  for (const part of speechBetween(silences, durationMs)) {
    const previous = merged.at(-1);
    if (previous && part.startMs - previous.endMs < rules.minGapMs) previous.endMs = part.endMs;
    else merged.push({ ...part });
  }
  return merged.filter((part) => part.endMs - part.startMs >= rules.minSpeechMs).flatMap((part) => splitEvenly(part, rules.maxCueMs));
}

function speechBetween(silences: Silence[], durationMs: number): Silence[] {
  const speech: Silence[] = [];
  let cursor = 0;
  for (const silence of [...silences].sort((a, b) => a.startMs - b.startMs)) {
    if (silence.startMs > cursor) speech.push({ startMs: cursor, endMs: Math.min(silence.startMs, durationMs) });
    cursor = Math.max(cursor, silence.endMs);
  }
  if (cursor < durationMs) speech.push({ startMs: cursor, endMs: durationMs });
  return speech.filter((part) => part.endMs > part.startMs);
}

/** Equal pieces rather than 6 s + a short tail: a 1 s leftover cue flashes by too fast to read. */
function splitEvenly(part: Silence, maxMs: number): Cue[] {
  const pieces = Math.ceil((part.endMs - part.startMs) / maxMs);
  const length = (part.endMs - part.startMs) / pieces;
  return Array.from({ length: pieces }, (_, i) => ({
    startMs: Math.round(part.startMs + i * length),
    endMs: i === pieces - 1 ? part.endMs : Math.round(part.startMs + (i + 1) * length),
    text: '',
  }));
}
