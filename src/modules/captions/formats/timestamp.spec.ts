import { formatTimestamp, parseTimestamp, parseTimingLine } from './timestamp';

describe('formatTimestamp', () => {
  it('writes each format’s notation', () => {
    const ms = 3_723_456; // 1 h 2 min 3.456 s
    expect(formatTimestamp(ms, 'srt')).toBe('01:02:03,456');
    expect(formatTimestamp(ms, 'vtt')).toBe('01:02:03.456');
    expect(formatTimestamp(ms, 'ass')).toBe('1:02:03.46');
  });

  it('writes bad times as zero rather than NaN', () => {
    expect(formatTimestamp(Number.NaN, 'srt')).toBe('00:00:00,000');
    expect(formatTimestamp(-5, 'vtt')).toBe('00:00:00.000');
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['00:00:01,000', 1000],
    ['00:00:01.000', 1000],
    ['00:01.500', 1500],
    ['01:00:00,5', 3_600_500],
    ['10:59:59,999', 39_599_999],
  ])('reads %s', (text, ms) => expect(parseTimestamp(text)).toBe(ms));

  it.each(['00:00:01', '00:61:00,000', 'aa:00:01,000', '00:00:01,0000', ''])('refuses %s', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it('ignores cue settings after the end time', () => {
    expect(parseTimingLine('00:01.000 --> 00:02.000 align:start line:10%')).toEqual({ startMs: 1000, endMs: 2000 });
  });
});
