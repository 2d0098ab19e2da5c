import type { Cue } from '../caption.types';
import { type ParsedCaptions, readCueBlocks, splitLines } from './cue-blocks.reader';
import { writableText } from './srt.format';
import { formatTimestamp } from './timestamp';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00A0', lrm: '', rlm: '', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const VTT = {
  example: '00:00:01.000 --> 00:00:02.500',
  // Tags go before entities are decoded, so an escaped "&lt;i&gt;" is not mistaken for markup first.
  cleanText: (raw: string) => decodeEntities(raw.replace(/<[^<>\n]*>/g, '')),
  isSkippedBlock: (firstLine: string) => /^(NOTE|STYLE|REGION)(\s|$)/.test(firstLine),
};

export function parseVtt(text: string): ParsedCaptions {
  const lines = splitLines(text);
  // Header: "WEBVTT" alone or followed by a space/tab and a title, then optional metadata lines.
  if (!/^\uFEFF?WEBVTT([ \t].*)?$/.test(lines[0] ?? '')) {
    const parsed = readCueBlocks(lines, 0, VTT);
    parsed.problems.unshift({ kind: 'missing-webvtt-header', line: 1, message: 'Line 1: a WebVTT file must start with the line "WEBVTT". Add it, or import the file as SRT.' });
    return parsed;
  }
  let from = 1;
  while (from < lines.length && lines[from].trim() !== '') from++;
  return readCueBlocks(lines, from, VTT);
}

export function toVtt(cues: readonly Cue[]): string {
  const blocks = cues.map(
    (cue) => `${formatTimestamp(cue.startMs, 'vtt')} --> ${formatTimestamp(cue.endMs, 'vtt')}\n${escapeVtt(writableText(cue.text))}\n`,
  );
  return ['WEBVTT\n', ...blocks].join('\n');
}

const escapeVtt = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
