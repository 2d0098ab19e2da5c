import type { CaptionLanguage, Cue } from '../api/client';
import { khmerDigits, type Lang } from '../i18n';

/** How far one press of − or + moves a time. */
export const NUDGE_MS = 100;
/** A new cue's length when nothing follows closely. */
const NEW_CUE_MS = 2000;

/** 83456 → "1:23.456" (Khmer digits in the Khmer interface). */
export function formatCueTime(ms: number, lang: Lang): string {
  const total = Math.max(0, Math.round(ms));
  const seconds = String(Math.floor(total / 1000) % 60).padStart(2, '0');
  const text = `${Math.floor(total / 60_000)}:${seconds}.${String(total % 1000).padStart(3, '0')}`;
  return lang === 'km' ? khmerDigits(text) : text;
}

function vttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(total / 3_600_000))}:${pad(Math.floor(total / 60_000) % 60)}:${pad(Math.floor(total / 1000) % 60)}.${pad(total % 1000, 3)}`;
}

/** WebVTT of the cues as they are on screen, saved or not, for the player's `<track>`. */
export function toVtt(cues: readonly Cue[]): string {
  const blocks = cues.map((cue) => {
    // "<" and "&" would start markup, and a blank line would end the cue early.
    const text = cue.text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .join('\n');
    return `${vttTime(cue.startMs)} --> ${vttTime(cue.endMs)}\n${text}`;
  });
  return `${['WEBVTT', ...blocks].join('\n\n')}\n`;
}

/** Index of the cue shown at `ms`, or -1 between cues. */
export function cueIndexAt(cues: readonly Cue[], ms: number): number {
  return cues.findIndex((cue) => cue.startMs <= ms && ms < cue.endMs);
}

export type CueProblem = 'no-text' | 'end-before-start' | 'overlap' | 'past-end';

/**
 * What the server would refuse, per cue, found while typing so it can be said in the reader's
 * language and fixed before a round trip on a weak link. Mirrors the server's rules, never stricter.
 */
export function cueProblems(cues: readonly Cue[], durationMs: number | undefined): CueProblem[][] {
  return cues.map((cue, i) => {
    const problems: CueProblem[] = [];
    const previous = cues[i - 1];
    if (cue.text.trim() === '') problems.push('no-text');
    if (cue.endMs <= cue.startMs) problems.push('end-before-start');
    if (previous && (cue.startMs < previous.startMs || cue.startMs < previous.endMs)) problems.push('overlap');
    if (durationMs !== undefined && cue.endMs > durationMs) problems.push('past-end');
    return problems;
  });
}

/** Where a word may end: from Intl.Segmenter (Khmer writes no spaces between words), else at spaces. */
function wordBoundaries(text: string, language: CaptionLanguage): number[] {
  if (typeof Intl.Segmenter !== 'function') return [...text.matchAll(/\s+/g)].map((m) => m.index);
  return [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)].map((s) => s.index);
}

/**
 * Splits a cue in two at `atMs`. The text breaks at the word boundary nearest to the same share of
 * its length as the time, so the words stay roughly where they are spoken.
 */
export function splitCue(cue: Cue, atMs: number, language: CaptionLanguage): [Cue, Cue] | null {
  if (atMs <= cue.startMs || atMs >= cue.endMs) return null;
  const target = (cue.text.length * (atMs - cue.startMs)) / (cue.endMs - cue.startMs);
  const at = [0, ...wordBoundaries(cue.text, language), cue.text.length].reduce((best, i) =>
    Math.abs(i - target) < Math.abs(best - target) ? i : best,
  );
  return [
    { startMs: cue.startMs, endMs: atMs, text: cue.text.slice(0, at).trim() },
    { startMs: atMs, endMs: cue.endMs, text: cue.text.slice(at).trim() },
  ];
}

/** A new empty cue starting at `atMs`, in time order, ending before the next cue and the video's end. */
export function insertCueAt(cues: readonly Cue[], atMs: number, durationMs: number | undefined): { cues: Cue[]; index: number } {
  const found = cues.findIndex((cue) => cue.startMs > atMs);
  const index = found === -1 ? cues.length : found;
  const endMs = Math.min(atMs + NEW_CUE_MS, cues[index]?.startMs ?? Infinity, durationMs ?? Infinity);
  return { cues: [...cues.slice(0, index), { startMs: atMs, endMs, text: '' }, ...cues.slice(index)], index };
}

/** A time moved by `deltaMs`, kept inside the video. */
export function nudged(ms: number, deltaMs: number, durationMs: number | undefined): number {
  return Math.min(Math.max(0, ms + deltaMs), durationMs ?? Infinity);
}

export function sameCues(a: readonly Cue[], b: readonly Cue[]): boolean {
  return a.length === b.length && a.every((cue, i) => sameCue(cue, b[i]));
}

export function sameCue(a: Cue, b: Cue | undefined): boolean {
  return !!b && a.startMs === b.startMs && a.endMs === b.endMs && a.text === b.text;
}
