import { randomUUID } from 'node:crypto';
import { storageKeys } from './storage-keys';

const TESTIMONY = '3f2c7a9e-1b4d-4c8e-9f0a-2d6b8e1c5a7f';
const ASSET = 'b7e1d2c3-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

describe('storageKeys', () => {
  it('builds a key from the testimony id, the asset id and a fixed extension only', () => {
    expect(storageKeys.testimonyPrefix(TESTIMONY)).toBe(`testimonies/${TESTIMONY}/`);
    expect(storageKeys.asset(TESTIMONY, ASSET, 'mp4')).toBe(`testimonies/${TESTIMONY}/${ASSET}.mp4`);
    expect(storageKeys.asset(TESTIMONY, ASSET, 'webp')).toBe(`testimonies/${TESTIMONY}/${ASSET}.webp`);
  });

  it('keeps every asset of a testimony under that testimony\'s prefix, so deleting the prefix removes them all', () => {
    const prefix = storageKeys.testimonyPrefix(TESTIMONY);
    for (let i = 0; i < 20; i++) expect(storageKeys.asset(TESTIMONY, randomUUID(), 'jpg').startsWith(prefix)).toBe(true);
    // A prefix ends with "/", so it can never be the start of another testimony's keys.
    expect(prefix.endsWith('/')).toBe(true);
  });

  it.each([
    ['a path escape', '../../etc/passwd'],
    ['a path escape padded to 36 characters', '../../../../../../../../etc/passwd/..'],
    ['Khmer text', 'ទីបន្ទាល់'],
    ['an empty id', ''],
    ['a number', '12345'],
    ['36 dashes', '-'.repeat(36)],
    ['36 hex digits without dashes', 'a'.repeat(36)],
    ['a UUID with a slash in it', '3f2c7a9e-1b4d-4c8e-9f0a/2d6b8e1c5a7f'],
    ['a UUID with surrounding space', ` ${TESTIMONY} `],
    ['a UUID with a trailing newline', `${TESTIMONY}\n`],
    ['a UUID followed by more', `${TESTIMONY}/../x`],
  ])('refuses %s as an id', (_what, id) => {
    expect(() => storageKeys.testimonyPrefix(id)).toThrow(/testimonyId must be a UUID/);
    expect(() => storageKeys.asset(TESTIMONY, id, 'mp4')).toThrow(/assetId must be a UUID/);
    expect(() => storageKeys.asset(id, ASSET, 'mp4')).toThrow(/testimonyId must be a UUID/);
  });

  it.each([
    ['empty', ''],
    ['a path', '../x'],
    ['with a dot', 'tar.gz'],
    ['with a slash', 'mp4/'],
    ['upper case', 'MP4'],
    ['too long', 'mpeg44'],
    ['Khmer', 'វីដេអូ'],
    ['with a space', 'mp 4'],
    ['with a query', 'mp4?x=1'],
  ])('refuses an extension that is %s', (_what, extension) => {
    expect(() => storageKeys.asset(TESTIMONY, ASSET, extension)).toThrow(/Unsupported storage extension/);
  });

  it('gives different assets different keys', () => {
    const keys = new Set(Array.from({ length: 100 }, () => storageKeys.asset(TESTIMONY, randomUUID(), 'mp4')));
    expect(keys.size).toBe(100);
  });
});

describe('storageKeys.rendition', () => {
  it('puts each run of processing under its own folder, named from role and variant', () => {
    expect(storageKeys.rendition(TESTIMONY, 2, 'thumbnail', '320w-webp', 'webp')).toBe(`testimonies/${TESTIMONY}/r2/thumbnail-320w-webp.webp`);
    expect(storageKeys.rendition(TESTIMONY, 1, 'publish', '', 'mp4')).toBe(`testimonies/${TESTIMONY}/r1/publish.mp4`);
    expect(storageKeys.rendition(TESTIMONY, 1, 'poster', '', 'jpg').startsWith(storageKeys.renditionPrefix(TESTIMONY, 1))).toBe(true);
  });

  it.each([
    ['a role with a slash', () => storageKeys.rendition(TESTIMONY, 1, '../x', '', 'mp4')],
    ['a variant with a slash', () => storageKeys.rendition(TESTIMONY, 1, 'publish', 'a/b', 'mp4')],
    ['a variant with a dot', () => storageKeys.rendition(TESTIMONY, 1, 'publish', '..', 'mp4')],
    ['a bad extension', () => storageKeys.rendition(TESTIMONY, 1, 'publish', '', 'MP4')],
    ['a negative generation', () => storageKeys.rendition(TESTIMONY, -1, 'publish', '', 'mp4')],
    ['a fractional generation', () => storageKeys.renditionPrefix(TESTIMONY, 1.5)],
    ['a bad testimony id', () => storageKeys.rendition('../..', 1, 'publish', '', 'mp4')],
  ])('refuses %s', (_what, build) => {
    expect(build).toThrow();
  });
});
