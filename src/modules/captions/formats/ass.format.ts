import type { CaptionLanguage, Cue } from '../caption.types';
import { READING_GUIDANCE } from './cue.validator';
import { sanitizeCueText } from './cue-text.sanitizer';
import { breakLines } from './line-breaker';
import { formatTimestamp } from './timestamp';

/**
 * Fonts per language, as fontconfig names them on the worker. Khmer needs a Khmer font (fonts-khmeros)
 * and the `ass` filter, which shapes with HarfBuzz; Thai needs Loma (fonts-thai-tlwg), as DejaVu Sans
 * has no Thai glyphs. The scripts and the Dockerfile install both.
 */
export const ASS_FONTS: Record<CaptionLanguage, string> = { km: 'Khmer OS Battambang', en: 'DejaVu Sans', th: 'Loma' };

/**
 * Average advance of one grapheme cluster, in ASS font-size units. Measured by burning a 63-cluster Khmer
 * sentence (Khmer OS Battambang) and a 63-character English one (DejaVu Sans) at size 100 through
 * ffmpeg's `ass` filter: 0.49 and 0.45. We use ~10% more, as some sentences run wider than the average.
 * Thai is assumed like Latin: no Thai font was installed to measure.
 */
export const GRAPHEME_EM: Record<CaptionLanguage, number> = { km: 0.55, en: 0.5, th: 0.55 };

export interface AssOptions {
  width: number;
  height: number;
  language: CaptionLanguage;
  /** A translucent box behind the text instead of an outline: for busy, bright footage. */
  box?: boolean;
}

export interface AssLayout {
  fontSize: number;
  outline: number;
  marginV: number;
  marginLR: number;
  maxGraphemes: number;
}

/**
 * Sizes follow the short edge so a phone shows the same text size in both orientations, but never below
 * 4% of the width: a landscape video watched on an upright phone is only as wide as the screen, and at
 * 5.5% of its height Khmer would shrink to about 12 CSS px there. Portrait video keeps the text higher
 * (15%) because Facebook lays its buttons and description over the bottom of vertical video; landscape
 * needs only 8%.
 */
export function assLayout({ width, height, language }: Pick<AssOptions, 'width' | 'height' | 'language'>): AssLayout {
  const fontSize = Math.round(Math.max(Math.min(width, height) * 0.055, width * 0.04));
  const marginLR = Math.round(width * 0.06);
  return {
    fontSize,
    outline: Math.max(1, Math.round(height * 0.0035 * 10) / 10),
    marginV: Math.round(height * (height > width ? 0.15 : 0.08)),
    marginLR,
    // What fits the frame, but never past the reading guidance: wide video does not make long lines readable.
    maxGraphemes: Math.max(8, Math.min(READING_GUIDANCE.maxLineGraphemes, Math.floor((width - 2 * marginLR) / (fontSize * GRAPHEME_EM[language])))),
  };
}

/** A complete ASS script for ffmpeg's `ass` filter: we place and break every line, so libass never wraps. */
export function toAss(cues: readonly Cue[], options: AssOptions): string {
  const layout = assLayout(options);
  // Colours are &HAABBGGRR; alpha 00 is opaque. The box uses the outline colour at half transparency.
  const outlineColour = options.box ? '&H80000000' : '&H00000000';
  const style = [
    'Default', ASS_FONTS[options.language], layout.fontSize, '&H00FFFFFF', '&H000000FF', outlineColour, '&H80000000',
    0, 0, 0, 0, 100, 100, 0, 0, options.box ? 3 : 1, layout.outline, 0, 2, layout.marginLR, layout.marginLR, layout.marginV, 1,
  ].join(',');
  const events = cues.map((cue) => {
    const text = escapeAss(breakLines(sanitizeCueText(cue.text), { language: options.language, maxGraphemes: layout.maxGraphemes }));
    return `Dialogue: 0,${formatTimestamp(cue.startMs, 'ass')},${formatTimestamp(cue.endMs, 'ass')},Default,,0,0,0,,${text}`;
  });
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${options.width}`,
    `PlayResY: ${options.height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: ${style}`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
    '',
  ].join('\n');
}

/**
 * Braces would open override blocks and backslashes start commands. Their full-width look-alikes are
 * in none of the caption fonts installed here (they burn in as nothing), so use glyphs every font has.
 */
const escapeAss = (text: string): string =>
  text.replace(/\\/g, '/').replace(/\{/g, '(').replace(/\}/g, ')').replace(/\n/g, '\\N');
