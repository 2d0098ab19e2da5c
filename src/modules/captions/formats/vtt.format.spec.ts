import type { Cue } from '../caption.types';
import { parseVtt, toVtt } from './vtt.format';

describe('parseVtt', () => {
  it('reads what toVtt writes, including characters it escapes', () => {
    const cues: Cue[] = [
      { startMs: 1000, endMs: 2500, text: 'ខ្ញុំបានទៅធ្វើការ & ត្រឡប់មកវិញ' },
      { startMs: 3000, endMs: 4000, text: 'a < b and c > d\nsecond line' },
    ];
    const parsed = parseVtt(toVtt(cues));
    expect(parsed.problems).toEqual([]);
    expect(parsed.cues).toEqual(cues);
  });

  it('skips header metadata and NOTE, STYLE and REGION blocks; ignores identifiers and settings', () => {
    const text = [
      'WEBVTT - testimony 12',
      'Kind: captions',
      '',
      'STYLE',
      '::cue { color: red }',
      '',
      'REGION',
      'id:fred width:40%',
      '',
      'NOTE reviewed by Dara',
      'second note line',
      '',
      'intro',
      '00:01.000 --> 00:02.500 align:start position:10%',
      '<v Sokha><c.yellow>Hello</c></v> &amp; <i>welcome</i>',
      '',
    ].join('\n');
    expect(parseVtt(text)).toMatchObject({ cues: [{ startMs: 1000, endMs: 2500, text: 'Hello & welcome' }], problems: [], cueLines: [14] });
  });

  it('requires the WEBVTT header but still reads the cues', () => {
    const parsed = parseVtt('00:00:01.000 --> 00:00:02.000\nHello\n');
    expect(parsed.cues).toHaveLength(1);
    expect(parsed.problems).toEqual([{ kind: 'missing-webvtt-header', line: 1, message: expect.stringContaining('must start with the line "WEBVTT"') }]);
  });

  it('reports a malformed timing with its line', () => {
    const parsed = parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne\n\n00:00:03.000 -> 00:00:04.000\nTwo\n');
    expect(parsed.problems).toEqual([{ kind: 'bad-time-range', line: 6, values: expect.any(Object), message: expect.stringContaining('Line 6: expected a time range like 00:00:01.000 --> 00:00:02.500') }]);
  });
});

describe('toVtt', () => {
  it('writes the header and neutralises markup and arrows in text', () => {
    const vtt = toVtt([{ startMs: 0, endMs: 1000, text: '<script>alert(1)</script> {\\b1}bold{\\pos(1,1)} 1 < 2 --> 3' }]);
    expect(vtt).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nalert(1) bold 1 &lt; 2 → 3\n');
  });
});
