import { sanitizeCueText } from './cue-text.sanitizer';

describe('sanitizeCueText', () => {
  it.each([
    ['{\\b1}bold{\\b0}', 'bold'],
    ['{\\pos(1,1)}moved', 'moved'],
    ['<script>alert(1)</script>', 'alert(1)'],
    ['<c.yellow>yellow</c> <v Dara>voice</v>', 'yellow voice'],
    ['line one\\Nline two', 'line one\nline two'],
    ['hard\\hspace', 'hard space'],
    ['C:\\path', 'C:/path'],
    ['a\u0000b\u0007c\u202Ed\uFEFF', 'abcd'],
    ['  too   many  spaces \n\n\t next \n', 'too many spaces\nnext'],
    ['cafe\u0301', 'caf\u00e9'],
    ['a < b > c', 'a < b > c'],
  ])('%j → %j', (input, output) => expect(sanitizeCueText(input)).toBe(output));

  it('keeps the zero-width characters Khmer writing uses', () => {
    expect(sanitizeCueText('ខ្ញុំ\u200Bបាន\u200Cទៅ')).toBe('ខ្ញុំ\u200Bបាន\u200Cទៅ');
  });
});
