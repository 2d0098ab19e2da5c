import { classifySharpError, isHeic } from './image-input';
import { RejectionCode } from './media.types';

const ftyp = (major: string, ...compatible: string[]) => {
  const body = Buffer.from(`ftyp${major}\0\0\0\0${compatible.join('')}`, 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(16)]);
};

describe('image inputs', () => {
  it('recognises HEIC by its ftyp brands, not AVIF or JPEG', () => {
    expect(isHeic(ftyp('heic', 'mif1', 'heic'))).toBe(true);
    expect(isHeic(ftyp('mif1', 'mif1', 'heix'))).toBe(true);
    expect(isHeic(ftyp('avif', 'mif1', 'avif'))).toBe(false);
    expect(isHeic(ftyp('isom', 'isom', 'avc1'))).toBe(false);
    expect(isHeic(Buffer.from([0xff, 0xd8, 0xff, 0xe1]))).toBe(false);
  });

  it('classifies sharp errors', () => {
    expect(classifySharpError(new Error('Input file contains unsupported image format')).code).toBe(RejectionCode.NotAnImage);
    expect(classifySharpError(new Error('VipsJpeg: premature end of JPEG image')).code).toBe(RejectionCode.CorruptImage);
  });
});
