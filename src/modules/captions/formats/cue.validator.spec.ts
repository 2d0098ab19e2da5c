import type { Cue } from '../caption.types';
import { validateCues } from './cue.validator';
import { parseAndValidateSrt } from './parse-and-validate';

const cue = (startMs: number, endMs: number, text = 'Plain words here'): Cue => ({ startMs, endMs, text });
const messages = (items: { message: string }[]): string[] => items.map((i) => i.message);

describe('validateCues', () => {
  it('accepts well-timed cues without warnings', () => {
    expect(validateCues([cue(1000, 3000), cue(3200, 5000)], { durationMs: 6000 })).toEqual({ problems: [], warnings: [] });
  });

  it('refuses NaN and negative times', () => {
    const { problems } = validateCues([cue(Number.NaN, 1000), cue(-10, 1000)]);
    expect(problems).toEqual([
      { kind: 'invalid-time', cue: 1, message: expect.stringContaining('not a valid number') },
      { kind: 'negative-time', cue: 2, message: expect.stringContaining('before the start of the video') },
    ]);
  });

  it('refuses an end before the start', () => {
    expect(validateCues([cue(63_200, 62_000)]).problems).toEqual([
      { kind: 'end-not-after-start', cue: 1, values: { startMs: 63_200, endMs: 62_000 }, message: 'Cue 1 (00:01:03.200) ends before it starts. Check its end time.' },
    ]);
  });

  it('reports overlapping and out-of-order cues instead of sorting them', () => {
    const { problems } = validateCues([cue(1000, 3000), cue(2500, 4000), cue(1500, 2000)]);
    expect(problems).toEqual([
      {
        kind: 'overlap',
        cue: 2,
        values: { startMs: 2500, otherCue: 1, otherEndMs: 3000 },
        message: 'Cue 2 (00:00:02.500) overlaps cue 1, which ends at 00:00:03.000. Move its start or the end of cue 1.',
      },
      {
        kind: 'out-of-order',
        cue: 3,
        values: { startMs: 1500, otherCue: 2, otherStartMs: 2500 },
        message: expect.stringContaining('Cue 3 (00:00:01.500) starts before cue 2 (00:00:02.500). Cues must be in time order'),
      },
    ]);
  });

  it('refuses a cue past the end of the video', () => {
    expect(messages(validateCues([cue(1000, 2500), cue(9000, 11_000)], { durationMs: 10_000 }).problems)).toEqual([
      'Cue 2 (00:00:09.000) ends at 00:00:11.000, after the video ends (00:00:10.000). Shorten it or delete it.',
    ]);
  });

  it('refuses empty and overlong text', () => {
    const { problems } = validateCues([cue(0, 1000, '  '), cue(2000, 9000, 'ក'.repeat(501))]);
    expect(messages(problems)).toEqual([expect.stringContaining('has no text'), expect.stringContaining('more than 500 characters')]);
  });

  it('counts reading speed in grapheme clusters, not UTF-16 units', () => {
    // 12 clusters but 36 UTF-16 units: 12 per second is fine, 36 would not be.
    const khmer = 'ស្រុ'.repeat(12);
    expect(khmer.length).toBe(48);
    expect(validateCues([cue(0, 1000, khmer)]).warnings).toEqual([]);
    expect(messages(validateCues([cue(0, 1000, 'Too many words for one second')]).warnings)).toEqual([
      expect.stringContaining('asks for 29 characters per second'),
    ]);
  });

  it('gives reading guidance as warnings', () => {
    const long = 'word '.repeat(10).trim(); // 49 characters
    const { problems, warnings } = validateCues([
      cue(0, 6000, `${long}`),
      cue(7000, 9000, 'one\ntwo\nthree'),
      cue(10_000, 10_500, 'Hi'),
      cue(10_550, 18_050, 'A long cue'),
    ]);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      { cue: 1, kind: 'long-line', value: 49, limit: 42, message: expect.stringContaining('a line of 49 characters') },
      { cue: 2, kind: 'lines', value: 3, limit: 2, message: expect.stringContaining('has 3 lines') },
      { cue: 3, kind: 'too-short', value: 500, limit: 800, message: expect.stringContaining('only 500 ms') },
      { cue: 4, kind: 'too-long', value: 7500, limit: 7000, message: expect.stringContaining('7.5 s') },
      { cue: 4, kind: 'gap', value: 50, limit: 80, message: expect.stringContaining('starts 50 ms after cue 3 ends') },
    ]);
    const fast = validateCues([cue(0, 1000, 'ខ្ញុំបានទៅធ្វើការនៅថៃ ដោយគ្មានលិខិតឆ្លងដែន')], { language: 'km' }).warnings;
    expect(fast).toEqual([{ cue: 1, kind: 'too-fast', value: expect.any(Number), limit: 17, message: expect.stringContaining('characters per second') }]);
    expect(fast[0].value).toBeGreaterThan(17);
  });
});

describe('parseAndValidateSrt', () => {
  it('reports each fault once, with its line', () => {
    const text = '1\n00:00:05,000 --> 00:00:04,000\nBackwards\n\n2\n00:00:06,000 --> 00:00:09,000\nPast the end\n';
    const result = parseAndValidateSrt(text, { durationMs: 8000 });
    expect(result.problems).toEqual([
      { kind: 'end-not-after-start', line: 2, cue: 1, values: { startMs: 5000, endMs: 4000 }, message: 'Cue 1 (00:00:05.000) ends before it starts. Check its end time.' },
      { kind: 'past-end', line: 6, cue: 2, values: { startMs: 6000, endMs: 9000, durationMs: 8000 }, message: expect.stringContaining('after the video ends') },
    ]);
    expect(result.cues).toHaveLength(2);
  });
});
