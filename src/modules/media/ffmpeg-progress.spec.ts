import { progressPercent, ProgressParser } from './ffmpeg-progress';

describe('ffmpeg progress', () => {
  it('turns out_time_us into a percent of the duration, holding 100 for the end', () => {
    expect(progressPercent(5_000_000, 10_000)).toBe(50);
    expect(progressPercent(12_000_000, 10_000)).toBe(99);
    expect(progressPercent(Number('N/A'), 10_000)).toBeNull();
    expect(progressPercent(-5000, 10_000)).toBeNull();
    expect(progressPercent(5_000_000, undefined)).toBeNull();
  });

  it('parses blocks split anywhere across chunks', () => {
    const seen: number[] = [];
    const parser = new ProgressParser(4000, (p) => seen.push(p));
    expect(parser.push('frame=30\nout_time_us=1000')).toBe(1);
    expect(parser.push('000\nprogress=continue\nout_time_us=N/A\n')).toBe(3);
    parser.push('out_time_us=3000000\nprogress=end\n');
    expect(seen).toEqual([25, 75, 100]);
  });

  it('remembers how far the output got, which is how a cut-off input shows itself', () => {
    const parser = new ProgressParser(60_000, () => {});
    expect(parser.outputMs).toBeNull();
    parser.push('out_time_us=N/A\nprogress=continue\n');
    expect(parser.outputMs).toBeNull();
    parser.push('out_time_us=21500000\nprogress=continue\nout_time_us=21400000\nprogress=end\n');
    expect(parser.outputMs).toBe(21_500);
  });
});
