import type { Cue } from '../caption.types';
import { type ParsedCaptions, readCueBlocks, splitLines } from './cue-blocks.reader';
import { sanitizeCueText } from './cue-text.sanitizer';
import { formatTimestamp } from './timestamp';

const SRT = { example: '00:00:01,000 --> 00:00:02,500', cleanText: (raw: string) => raw };

/** Counters are optional and ignored: cues are numbered by position, which is what players do anyway. */
export function parseSrt(text: string): ParsedCaptions {
  return readCueBlocks(splitLines(text), 0, SRT);
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, i) => `${i + 1}\n${formatTimestamp(cue.startMs, 'srt')} --> ${formatTimestamp(cue.endMs, 'srt')}\n${writableText(cue.text)}\n`)
    .join('\n');
}

/** Text that cannot end the block early or pass for a timing line when read back. */
export const writableText = (text: string): string => sanitizeCueText(text).replace(/-{2,}>/g, '→');
