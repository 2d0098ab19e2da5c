import type { Cue } from '../caption.types';
import { MAX_CUES } from './cue-blocks.reader';
import { parseSrt, toSrt } from './srt.format';

const cues: Cue[] = [
  { startMs: 1000, endMs: 2500, text: 'ខ្ញុំបានទៅធ្វើការនៅប្រទេសថៃ' },
  { startMs: 3000, endMs: 5250, text: 'Two lines\nof English' },
  { startMs: 3_723_456, endMs: 3_725_000, text: 'ฉันทำงานที่นั่นสองปี' },
];

describe('parseSrt', () => {
  it('reads what toSrt writes', () => {
    const parsed = parseSrt(toSrt(cues));
    expect(parsed.problems).toEqual([]);
    expect(parsed.cues).toEqual(cues);
  });

  it('ignores counters, accepts "." for ",", strips markup', () => {
    const text = '00:00:01.000 --> 00:00:02,000\n<i>Hello</i> {\\an8}<font color="red">world</font>\n\n7\n00:00:03,000 --> 00:00:04,000\n<b>Bye</b>\n';
    expect(parseSrt(text)).toMatchObject({
      cues: [
        { startMs: 1000, endMs: 2000, text: 'Hello world' },
        { startMs: 3000, endMs: 4000, text: 'Bye' },
      ],
      problems: [],
      cueLines: [1, 5],
    });
  });

  it('starts a new cue at a counter and timing even without the blank line', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n';
    expect(parseSrt(text).cues.map((c) => c.text)).toEqual(['One', 'Two']);
  });

  it('reports a malformed time range with its line and keeps reading', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:0x,000 --> 00:00:04,000\nTwo\n\n3\n00:00:05,000 --> 00:00:06,000\nThree\n';
    const parsed = parseSrt(text);
    expect(parsed.cues.map((c) => c.text)).toEqual(['One', 'Three']);
    expect(parsed.problems).toEqual([
      { kind: 'bad-time-range', line: 6, values: { found: '00:00:0x,000 --> 00:00:04,000' }, message: expect.stringContaining('Line 6: "00:00:0x,000 --> 00:00:04,000" is not a valid time range') },
    ]);
  });

  it('reports a block without a time range', () => {
    const parsed = parseSrt('1\n00:00:01,000 --> 00:00:02,000\nOne\n\nstray words\n');
    expect(parsed.problems).toEqual([{ kind: 'bad-time-range', line: 5, values: { found: 'stray words' }, message: expect.stringContaining('Line 5: expected a time range') }]);
  });

  it('reports an end before or at the start, with the line of the timing', () => {
    const parsed = parseSrt('1\n00:00:05,000 --> 00:00:04,000\nBackwards\n\n2\n00:00:06,000 --> 00:00:06,000\nInstant\n');
    expect(parsed.problems).toEqual([
      { kind: 'end-not-after-start', line: 2, cue: 1, values: { startMs: 5000, endMs: 4000 }, message: 'Cue 1 (00:00:05.000) ends before it starts. Check its end time.' },
      { kind: 'end-not-after-start', line: 6, cue: 2, values: { startMs: 6000, endMs: 6000 }, message: 'Cue 2 (00:00:06.000) ends at the moment it starts. Check its end time.' },
    ]);
  });

  it('keeps a cue without text and reports it', () => {
    const parsed = parseSrt('1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n<i></i>\n');
    expect(parsed.cues).toHaveLength(2);
    expect(parsed.problems).toEqual([
      { kind: 'no-text', line: 2, cue: 1, values: { startMs: 1000 }, message: 'Cue 1 (00:00:01.000) has no text. Type the words or delete the cue.' },
      { kind: 'no-text', line: 5, cue: 2, values: { startMs: 3000 }, message: 'Cue 2 (00:00:03.000) has no text. Type the words or delete the cue.' },
    ]);
  });

  it('reports an empty file once', () => {
    expect(parseSrt('\n\n')).toEqual({ cues: [], cueLines: [], problems: [{ kind: 'no-cues', message: 'No captions were found in this file.' }] });
  });

  it('stops at MAX_CUES with a single problem', () => {
    const block = '00:00:01,000 --> 00:00:02,000\nx\n\n';
    const parsed = parseSrt(block.repeat(50_000));
    expect(parsed.cues).toHaveLength(MAX_CUES);
    expect(parsed.problems).toEqual([{ kind: 'too-many-cues', line: MAX_CUES * 3 + 1, values: { max: MAX_CUES }, message: expect.stringContaining('more than 10,000 cues') }]);
  });
});

describe('toSrt', () => {
  it('numbers cues and neutralises text that would read as a timing line', () => {
    expect(toSrt([{ startMs: 0, endMs: 1000, text: 'a --> b' }])).toBe('1\n00:00:00,000 --> 00:00:01,000\na → b\n');
  });

  it('drops blank lines that would end the cue early', () => {
    expect(toSrt([{ startMs: 0, endMs: 1000, text: 'a\n\nb' }])).toBe('1\n00:00:00,000 --> 00:00:01,000\na\nb\n');
  });
});
