// Control characters except tab and newline (NUL among them, which PostgreSQL refuses in text), bidi
// overrides and isolates (they reorder what a reader sees, hiding what was really written) and the BOM.
// ZWSP/ZWJ/ZWNJ stay: Khmer writers use them between words and inside clusters.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Removes what is invisible but harmful (see above); for any free text people type. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Text people type for other people (titles, notes, comments): NFC, so the same Khmer typed on two phones
 * compares the same; nothing invisible; no edge blanks.
 */
export function cleanPlainText(text: string): string {
  return stripInvisible(text.normalize('NFC').replace(/\r\n?/g, '\n')).trim();
}
