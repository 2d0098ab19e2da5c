import { countGraphemes, segmenter } from './graphemes';

export interface BreakLinesOptions {
  language: string;
  maxGraphemes: number;
}

interface Unit {
  text: string;
  length: number;
  /** A space stood before this unit: dropped when a line starts here, counted when it does not. */
  spaceBefore: boolean;
}

/**
 * Breaks long lines at word boundaries. libass does not wrap Khmer (no spaces between words) and a break
 * inside a word, or between a consonant and its subscript, is unreadable, so breaks come from the ICU
 * word segmenter only. Lines the author broke stay broken. Among the layouts with the fewest lines the
 * most even one wins (least sum of squared lengths): two half lines read better than a full and a stub.
 * A single word longer than a line stays whole and overflows rather than being cut.
 */
export function breakLines(text: string, options: BreakLinesOptions): string {
  return text
    .split('\n')
    .map((line) => (countGraphemes(line, options.language) <= options.maxGraphemes ? line : breakLine(line, options)))
    .join('\n');
}

function breakLine(line: string, { language, maxGraphemes }: BreakLinesOptions): string {
  const units = toUnits(line, language);
  // best[i]: cheapest layout of units[i..]; lines first, then evenness.
  const best: { lines: number; cost: number; next: number }[] = new Array(units.length + 1);
  best[units.length] = { lines: 0, cost: 0, next: units.length };
  for (let i = units.length - 1; i >= 0; i--) {
    let width = 0;
    for (let j = i; j < units.length; j++) {
      width += units[j].length + (j > i && units[j].spaceBefore ? 1 : 0);
      if (width > maxGraphemes && j > i) break;
      const rest = best[j + 1];
      const candidate = { lines: rest.lines + 1, cost: rest.cost + width * width, next: j + 1 };
      const current = best[i];
      if (!current || candidate.lines < current.lines || (candidate.lines === current.lines && candidate.cost < current.cost)) best[i] = candidate;
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < units.length; i = best[i].next) {
    lines.push(units.slice(i, best[i].next).map((u, k) => (k > 0 && u.spaceBefore ? ' ' : '') + u.text).join(''));
  }
  return lines.join('\n');
}

/**
 * Words with the punctuation that follows them ("ភូមិ។", "village,"), so no line starts with a comma or
 * a Khmer full stop. Spaces become flags: they vanish at a break.
 */
function toUnits(line: string, language: string): Unit[] {
  const units: Unit[] = [];
  let spaceBefore = false;
  for (const { segment, isWordLike } of segmenter(language, 'word').segment(line)) {
    if (/^\s+$/.test(segment)) {
      spaceBefore = units.length > 0;
      continue;
    }
    const last = units[units.length - 1];
    if (last && !spaceBefore && !isWordLike && !/^[([{«“‘"']/.test(segment)) {
      last.text += segment;
      last.length += countGraphemes(segment, language);
    } else {
      units.push({ text: segment, length: countGraphemes(segment, language), spaceBefore });
    }
    spaceBefore = false;
  }
  return units;
}
