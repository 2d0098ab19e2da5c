import { countGraphemes } from './graphemes';
import { breakLines } from './line-breaker';

const KHMER =
  'យុវជនជាច្រើននៅក្នុងភូមិរបស់យើងបានធ្វើចំណាកស្រុកទៅប្រទេសថៃដោយគ្មានឯកសារត្រឹមត្រូវ ហើយពួកគេបានជួបប្រទះការកេងប្រវ័ញ្ចជាច្រើន';

/** Offsets in `text` where the word segmenter allows a break. */
function wordBoundaries(text: string, language: string): Set<number> {
  const segments = [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)];
  return new Set(segments.map((s) => s.index).concat(text.length));
}

describe('breakLines', () => {
  it('breaks a long Khmer sentence into two balanced lines at word boundaries', () => {
    const broken = breakLines(KHMER, { language: 'km', maxGraphemes: 38 });
    const lines = broken.split('\n');
    expect(lines).toHaveLength(2);
    const allowed = wordBoundaries(KHMER, 'km');
    let offset = 0;
    for (const line of lines) {
      // Each line is a run of the original text, starting at a word boundary.
      offset = KHMER.indexOf(line, offset);
      expect(allowed.has(offset)).toBe(true);
      expect(allowed.has(offset + line.length)).toBe(true);
      expect(line).not.toMatch(/^[\u17B6-\u17D3]/);
      expect(countGraphemes(line)).toBeLessThanOrEqual(38);
      offset += line.length;
    }
    const [first, second] = lines.map((l) => countGraphemes(l));
    expect(Math.abs(first - second)).toBeLessThanOrEqual(12);
  });

  it('never starts a line with a combining mark or coeng at any width', () => {
    for (let max = 6; max <= 40; max++) {
      for (const line of breakLines(KHMER, { language: 'km', maxGraphemes: max }).split('\n')) {
        expect(line).not.toMatch(/^[\u17B6-\u17D3]/);
      }
    }
  });

  it('prefers two even lines over a full line and a stub', () => {
    const text = 'I went to Thailand to work on a fishing boat for two years';
    expect(breakLines(text, { language: 'en', maxGraphemes: 42 })).toBe('I went to Thailand to work on\na fishing boat for two years');
  });

  it('keeps punctuation with the word before it', () => {
    const lines = breakLines('We worked, we slept, we worked again, and nobody paid us anything', { language: 'en', maxGraphemes: 20 }).split('\n');
    for (const line of lines) expect(line).not.toMatch(/^[,.]/);
  });

  it('breaks Thai at word boundaries', () => {
    const thai = 'ผมเดินทางไปทำงานที่ประเทศไทยโดยไม่มีเอกสารและถูกนายจ้างเอาเปรียบ';
    const lines = breakLines(thai, { language: 'th', maxGraphemes: 20 }).split('\n');
    expect(lines.join('')).toBe(thai);
    const allowed = wordBoundaries(thai, 'th');
    let offset = 0;
    for (const line of lines.slice(0, -1)) expect(allowed.has((offset += line.length))).toBe(true);
  });

  it('keeps the author’s line breaks and short lines as they are', () => {
    expect(breakLines('Short\nlines', { language: 'en', maxGraphemes: 42 })).toBe('Short\nlines');
  });

  it('lets a word longer than a line overflow rather than cut it', () => {
    expect(breakLines('Supercalifragilisticexpialidocious', { language: 'en', maxGraphemes: 10 })).toBe('Supercalifragilisticexpialidocious');
  });
});
