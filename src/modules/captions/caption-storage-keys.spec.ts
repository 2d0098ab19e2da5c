import { captionSidecarKey } from './caption-storage-keys';
import { CaptionLanguage } from './caption.types';

const ID = '7f0c7e0e-1f7c-4f55-b1a0-0a1b7c1e8a10';

describe('captionSidecarKey', () => {
  it('builds the key from the testimony id, language and version', () => {
    expect(captionSidecarKey(ID, 'km', 3)).toBe(`testimonies/${ID}/captions/km-v3.vtt`);
  });

  it.each([
    ['../etc', 'km', 1],
    [ID, 'xx', 1],
    [ID, 'km', 0],
    [ID, 'km', 1.5],
  ])('refuses %s / %s / %s', (id, language, version) => {
    expect(() => captionSidecarKey(id, language as CaptionLanguage, version)).toThrow();
  });
});
