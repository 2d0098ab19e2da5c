import { stripInvisible } from '../../../common/text/plain-text';

/**
 * Cue text is plain text. Imported files and editors bring markup that players would obey (SRT `<font>`,
 * VTT `<c.x>`, ASS `{\pos(1,1)}` that moves a burned caption off screen, `\N` line breaks), so every
 * import and edit goes through here and each writer escapes the little its format still needs.
 */

// ASS override blocks; anything between braces is an instruction or a comment to a renderer, never text.
const OVERRIDE_BLOCK = /\{[^{}\n]*\}/g;
// Tags start with a letter, "/" or a digit (VTT karaoke timestamps "<00:01.000>"); "a < b" stays text.
const TAG = /<\/?[A-Za-z0-9][^<>\n]*>/g;

// Text with nothing to remove or tidy (most cues) skips a dozen regex passes.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[{}<>\\\x00-\x09\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFEFF]|  |^[ \n]|[ \n]$| \n|\n |\n\n/;

export function sanitizeCueText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text.normalize('NFC');
  // Invisible characters go first, so one hidden inside a tag cannot keep the tag from being removed.
  return (
    stripInvisible(text.normalize('NFC').replace(/\r\n?/g, '\n'))
      .replace(OVERRIDE_BLOCK, '')
      .replace(TAG, '')
      // ASS line breaks typed as text (common in SRT exported from Aegisub) become real ones.
      .replace(/\\[Nn]/g, '\n')
      .replace(/\\h/g, ' ')
      // Any other backslash could start a command once the text is written to ASS. Its full-width
      // look-alike is in none of the caption fonts here (it would burn in as nothing): use a slash.
      .replace(/\\/g, '/')
      .replace(/\t/g, ' ')
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' ').trim())
      // A blank line would end an SRT/VTT cue early, so it is dropped rather than kept.
      .filter((line) => line !== '')
      .join('\n')
      .normalize('NFC')
  );
}
