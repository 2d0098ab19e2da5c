import type { CueProblem } from '../caption.types';

/** Larger than any real caption file (a two-hour film is ~150 KB); the caller enforces it before decoding. */
export const MAX_CAPTION_FILE_BYTES = 2 * 1024 * 1024;

export const NOT_UTF8_MESSAGE =
  'This caption file is not in UTF-8. Save it as UTF-8 (in Notepad: Save as → Encoding → UTF-8) and import it again.';
export const LEGACY_KHMER_MESSAGE =
  'This caption file is not in UTF-8 and looks like Khmer typed with an old font (Limon or ABC), which cannot be ' +
  'converted reliably. Convert the text to Khmer Unicode, save it as UTF-8 (in Notepad: Save as → Encoding → UTF-8) and import it again.';

const NOT_UTF8: CueProblem = { kind: 'not-utf8', message: NOT_UTF8_MESSAGE };
const LEGACY_KHMER: CueProblem = { kind: 'legacy-khmer', message: LEGACY_KHMER_MESSAGE };

export type DecodedCaptionFile = { text: string } | { problem: CueProblem };

/**
 * Turns uploaded bytes into text. Only conversions we are sure of are made: a wrong guess would publish
 * garbage under a testimony, so anything doubtful is refused with a fix the uploader can do in Notepad.
 */
export function decodeCaptionFile(bytes: Buffer): DecodedCaptionFile {
  const encoding = detectEncoding(bytes);
  if (encoding) {
    const text = decodeStrict(bytes, encoding);
    return text === undefined ? { problem: NOT_UTF8 } : { text: normalise(text) };
  }
  const utf8 = decodeStrict(bytes, 'utf-8');
  if (utf8 !== undefined) return { text: normalise(utf8) };
  const latin = decodeWindows1252(bytes);
  if (looksLikeLegacyKhmer(latin)) return { problem: LEGACY_KHMER };
  // Bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean it is some other encoding.
  if (!/[\u0080-\u009F]/.test(latin) && looksLikeLatinText(latin)) return { text: normalise(latin) };
  return { problem: NOT_UTF8 };
}

// Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 control codes (its Latin-1 fast
// path), losing the curly quotes and dashes Word puts in every file: map them here.
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Buffer): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

type Utf16 = 'utf-16le' | 'utf-16be';

function detectEncoding(bytes: Buffer): Utf16 | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  // Without a BOM, the ASCII in every caption file (digits, colons, newlines) leaves a NUL in every
  // other byte: at odd offsets for little-endian, at even ones for big-endian. UTF-8 text has none.
  const sample = Math.min(bytes.length, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample; i++) if (bytes[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  const half = sample / 2;
  if (oddNul > half * 0.2 && evenNul < half * 0.02) return 'utf-16le';
  if (evenNul > half * 0.2 && oddNul < half * 0.02) return 'utf-16be';
  return undefined;
}

function decodeStrict(bytes: Buffer, encoding: 'utf-8' | Utf16): string | undefined {
  try {
    // fatal: an invalid sequence throws instead of silently becoming U+FFFD; the BOM is dropped.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const normalise = (text: string): string => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');

// Letters and punctuation Western European text uses from the Windows-1252 upper half.
const LATIN_EXTRA = /[À-ÖØ-öø-ÿŒœŠšŽžŸ‘’“”–—…«»¡¿°©®€ ]/g;
const VOWEL = /[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ]/i;

/**
 * Limon and ABC fonts draw Khmer glyphs over Latin-1 codes, so such a file decodes to "words" of ASCII
 * letters mixed with symbols and upper-half characters (e.g. "Ekñúm) eTA[PUmi"). Real Latin text has few
 * non-ASCII characters, all of them accented letters or typographic punctuation.
 */
function looksLikeLegacyKhmer(text: string): boolean {
  const words = captionWords(text);
  // Too little text, or mostly not letters: nothing to tell, so it gets the plain refusal.
  const visible = text.replace(/\s/g, '');
  if (words.length < 3 || (visible.match(/[A-Za-z]/g) ?? []).length < visible.length * 0.5) return false;
  const odd = words.filter(
    (w) =>
      /[^\x20-\x7E]/.test(w.replace(LATIN_EXTRA, '')) ||
      // Symbols inside a word, or capitals after small letters ("RbeTs"): how these fonts spell vowels and subscripts.
      /[A-Za-z][[\]{};|\\^~`@)(][A-Za-z]/.test(w) ||
      /[a-zß-ÿ][A-ZÀ-Þ]/.test(w),
  );
  return odd.length / words.length > 0.15;
}

function looksLikeLatinText(text: string): boolean {
  const words = captionWords(text).filter((w) => /[A-Za-zÀ-ÿ]{3,}/.test(w));
  if (words.length === 0) return false;
  const withVowel = words.filter((w) => VOWEL.test(w)).length;
  const letters = text.replace(/[^A-Za-zÀ-ÿŒœŠšŽžŸ]/g, '').length;
  const accented = (text.match(/[À-ÿŒœŠšŽžŸ]/g) ?? []).length;
  // Even Portuguese stays under ~10% accented letters; a legacy font file is far above that.
  return withVowel / words.length > 0.8 && accented / Math.max(letters, 1) < 0.15;
}

/** Whitespace-separated tokens from cue text lines, leaving out counters and timings. */
function captionWords(text: string): string[] {
  return text
    .split(/\r\n?|\n/)
    .filter((line) => !/^\s*\d+\s*$/.test(line) && !line.includes('-->') && !/^WEBVTT/.test(line))
    .flatMap((line) => line.split(/\s+/))
    .filter((word) => /[A-Za-zÀ-ÿ]/.test(word));
}
