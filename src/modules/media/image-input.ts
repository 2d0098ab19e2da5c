/** Recognising image inputs before (and after) sharp looks at them. Pure. */
import { rejection } from './media-rejections';
import { MediaRejectedError, RejectionCode } from './media.types';

/** ISO-BMFF brands of HEIC/HEIF stills with HEVC inside (AVIF is 'avif'/'avis', which libvips here can read). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);

/** True when the first bytes are an `ftyp` box naming a HEIC brand, as major or compatible brand. */
export function isHeic(head: Buffer): boolean {
  if (head.length < 16 || head.toString('latin1', 4, 8) !== 'ftyp') return false;
  const boxEnd = Math.min(head.readUInt32BE(0), head.length);
  const brands = [head.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) brands.push(head.toString('latin1', offset, offset + 4));
  return brands.some((brand) => HEIC_BRANDS.has(brand)) && !brands.includes('avif');
}

/**
 * Decoder warnings that leave every pixel intact: stray bytes between markers (some cameras write them
 * on every photo) and odd scan parameters of some Android encoders. Anything else libjpeg warns about
 * is damaged compressed data.
 */
export function isHarmlessDecodeWarning(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /extraneous bytes before marker|Invalid SOS parameters/i.test(message);
}

/** sharp's words for "this is not an image at all", as opposed to an image it could not finish reading. */
export function classifySharpError(error: unknown): MediaRejectedError {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format|Input file is missing|empty/i.test(message)) return rejection(RejectionCode.NotAnImage);
  return rejection(RejectionCode.CorruptImage);
}
