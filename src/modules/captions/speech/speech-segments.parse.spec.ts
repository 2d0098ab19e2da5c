import { parseSilences, speechCues } from './speech-segments.parse';

const METADATA = `frame:6    pts:6144    pts_time:0.384
lavfi.silence_start=0
frame:15   pts:15360   pts_time:0.96
lavfi.silence_end=0.99625
lavfi.silence_duration=0.99625
frame:45   pts:46080   pts_time:2.88
lavfi.silence_start=2.5
frame:54   pts:55296   pts_time:3.456
lavfi.silence_end=3.50006
lavfi.silence_duration=1.00006
frame:68   pts:69632   pts_time:4.352
lavfi.silence_start=4
`;

describe('parseSilences', () => {
  it('pairs starts with ends and closes a silence still open at the end', () => {
    expect(parseSilences(METADATA, 5000)).toEqual([
      { startMs: 0, endMs: 996 },
      { startMs: 2500, endMs: 3500 },
      { startMs: 4000, endMs: 5000 },
    ]);
  });

  it('treats no events as no silence', () => {
    expect(parseSilences('', 5000)).toEqual([]);
  });
});

describe('speechCues', () => {
  it('proposes empty cues between the silences', () => {
    expect(speechCues(parseSilences(METADATA, 5000), 5000)).toEqual([
      { startMs: 996, endMs: 2500, text: '' },
      { startMs: 3500, endMs: 4000, text: '' },
    ]);
  });

  it('merges speech across a pause shorter than 300 ms', () => {
    expect(speechCues([{ startMs: 1000, endMs: 1250 }], 3000)).toEqual([{ startMs: 0, endMs: 3000, text: '' }]);
  });

  it('ignores blips shorter than 300 ms', () => {
    expect(speechCues([{ startMs: 0, endMs: 1000 }, { startMs: 1200, endMs: 3000 }], 3000)).toEqual([]);
  });

  it('splits long speech into equal cues of at most 6 s', () => {
    const cues = speechCues([], 13_000);
    expect(cues.map((c) => [c.startMs, c.endMs])).toEqual([[0, 4333], [4333, 8667], [8667, 13_000]]);
  });

  it('proposes nothing for a silent track', () => {
    expect(speechCues([{ startMs: 0, endMs: 5000 }], 5000)).toEqual([]);
  });
});
