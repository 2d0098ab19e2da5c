/** Real bodies nest a few levels (a caption track is three); validation recurses once per level. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);

/**
 * For body-parser's `verify`: refuses a body nested deeper than MAX_JSON_DEPTH before it is parsed.
 * Thousands of levels fit in 100 KB and overflow the stack of the validation that follows (a 500).
 * One pass over the bytes, skipping strings, so brackets inside text do not count.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPEN.has(byte)) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error('JSON nested too deeply'), { type: 'entity.too.deep' });
    } else if (CLOSE.has(byte)) {
      depth--;
    }
  }
}
