// Control characters except tab and newline, bidi overrides and isolates (they reorder what a reader sees,
// hiding what was really written) and the BOM. ZWSP/ZWJ/ZWNJ stay: Khmer writers use them.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Text people type for other people (notes, comments): NFC, nothing invisible, no edge blanks. */
export function cleanPlainText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').trim();
}
