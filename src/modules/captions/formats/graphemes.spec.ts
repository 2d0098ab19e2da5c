import { countGraphemes, countWithSegmenter } from './graphemes';

describe('countGraphemes', () => {
  it.each([
    ['Hello', 5],
    ['ស្រុក', 2],
    ['ប្រវ័ញ្ច', 3],
    ['ทำงาน', 4],
    ['déjà', 4],
  ])('%s has %i clusters', (text, count) => expect(countGraphemes(text)).toBe(count));

  it('matches Intl.Segmenter on random Khmer, Thai and Latin strings', () => {
    // Fixed-seed sample of the check the fast count was built against (see graphemes.ts).
    const alphabet: number[] = [0x0a, 0x20, 0x41, 0x61, 0xe9, 0x301, 0x200b, 0x200c, 0x200d];
    for (let c = 0x1780; c <= 0x17dd; c++) alphabet.push(c, 0x17d2);
    for (let c = 0x0e01; c <= 0x0e5b; c++) alphabet.push(c);
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let k = 1 + random(8); k > 0; k--) text += String.fromCodePoint(alphabet[random(alphabet.length)]);
      if (countGraphemes(text) !== countWithSegmenter(text)) throw new Error(`Mismatch for ${JSON.stringify(text)}`);
    }
  });
});
