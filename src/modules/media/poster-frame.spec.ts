import { candidatePath, pickPosterFrame, posterFiles, sampleTimeSeconds } from './poster-frame';

describe('poster frame', () => {
  const frame = (values: (i: number) => number) => Buffer.from(Array.from({ length: 16 }, (_, i) => values(i)));

  it('skips black and faded frames for the one with the most contrast', () => {
    const black = frame(() => 0);
    const fading = frame((i) => (i % 2 ? 60 : 20));
    const picture = frame((i) => (i % 2 ? 220 : 30));
    expect(pickPosterFrame(Buffer.concat([black, black, fading, picture, fading]), 16)).toBe(3);
  });

  it('falls back to the first frame', () => {
    expect(pickPosterFrame(Buffer.alloc(0), 16)).toBe(0);
    expect(pickPosterFrame(Buffer.alloc(40), 16)).toBe(0);
  });

  it('names each candidate after its sample, so the chosen index finds its frame', () => {
    const files = posterFiles('/work/job/poster-frames');
    expect(candidatePath(files, 0)).toBe('/work/job/poster-frames/00.jpg');
    expect(candidatePath(files, 11)).toBe('/work/job/poster-frames/11.jpg');
    expect(sampleTimeSeconds(11)).toBe(5.5);
  });
});
