import { Test } from '@nestjs/testing';
import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { Region } from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { AppConfigModule } from '../src/config/config.module';
import { MediaModule } from '../src/modules/media/media.module';
import { PhotoProcessor } from '../src/modules/media/media.ports';
import { ImageOutputs, MediaRejectedError, RejectionCode } from '../src/modules/media/media.types';
import { ffmpeg, MARKER, mediaTestConfig, mediaWorkDir, photoFixtures, videoFixtures } from './support/media-fixtures';


const FOUR_MB = 4 * 1024 * 1024;

describe('media: photos (real sharp)', () => {
  let dir: string;
  let photos: PhotoProcessor;

  beforeAll(async () => {
    dir = mediaWorkDir();
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(mediaTestConfig()), MediaModule] }).compile();
    photos = moduleRef.get(PhotoProcessor);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const outDir = () => mkdtemp(join(dir, 'out-'));
  const output = (result: ImageOutputs, role: string, variant: string) => result.outputs.find((o) => o.role === role && o.variant === variant)!.file;

  it('makes an upright, metadata-free publish JPEG, previews and a placeholder from a 12 MP phone photo', async () => {
    const input = await photoFixtures.phonePhoto(dir);
    const original = await sharp(input).metadata();
    expect(original).toMatchObject({ width: 4032, height: 3024, orientation: 6 });
    expect(original.exif?.includes('Apple')).toBe(true);

    const result = await photos.photo(input, await outDir());

    expect(result.outputs.map((o) => `${o.role}/${o.variant}`).sort()).toEqual(['preview/1280w-webp', 'publish/jpeg', 'thumbnail/320w-webp']);
    const sizes = { publish: [1536, 2048], preview: [1280, 1707], thumbnail: [320, 427] };
    for (const { role, file } of result.outputs) {
      const meta = await sharp(file.path).metadata();
      expect([meta.width, meta.height]).toEqual(sizes[role]);
      expect([file.width, file.height]).toEqual(sizes[role]);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
    }
    const publish = output(result, 'publish', 'jpeg');
    expect(publish).toMatchObject({ mimeType: 'image/jpeg', extension: 'jpg' });
    expect(publish.byteSize).toBeLessThan(FOUR_MB);
    // Upright: the marker from the stored top-left is now top-right (orientation 6 turns 90° clockwise).
    const scale = 2048 / 4032;
    const corner = await meanColour(publish.path, { left: 1536 - Math.floor(MARKER.height * scale) + 10, top: 10, width: 40, height: 40 });
    expect(corner.map((c) => Math.round(c / 50))).toEqual([5, 0, 0]);

    expect(Buffer.from(result.placeholder, 'base64').length).toBeLessThan(40);
    expect(thumbHashToApproximateAspectRatio(Buffer.from(result.placeholder, 'base64'))).toBeCloseTo(3024 / 4032, 1);
    expect(result).toMatchObject({ width: 1536, height: 2048 });
  });

  it('makes JPEG and WebP thumbnails of a video poster', async () => {
    const videoDir = await outDir();
    const poster = join(videoDir, 'poster.jpg');
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', poster);
    const out = await outDir();
    const result = await photos.posterImages(poster, out);
    expect(result.outputs.map((o) => `${o.role}/${o.variant}/${o.file.width}x${o.file.height}`).sort()).toEqual([
      'thumbnail/320w-jpeg/320x180',
      'thumbnail/320w-webp/320x180',
      'thumbnail/640w-webp/640x360',
    ]);
    expect(result.placeholder).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(readdirSync(out)).toHaveLength(3);
  });

  it.each([
    ['a PNG whose header claims 30000×30000 pixels', photoFixtures.hugePngHeader, RejectionCode.TooManyPixels, /too large/],
    ['a JPEG cut off halfway', photoFixtures.truncatedJpeg, RejectionCode.CorruptImage, /damaged/],
    ['a JPEG whole but damaged in the middle (it would show a grey block)', photoFixtures.damagedJpeg, RejectionCode.CorruptImage, /damaged/],
    ['a text file named .jpg', photoFixtures.textAsJpeg, RejectionCode.NotAnImage, /not a photo/],
    ['an iPhone HEIC (this libvips has no HEVC decoder)', photoFixtures.heicHeader, RejectionCode.HeicUnsupported, /Most Compatible/],
  ])('refuses %s, writing nothing', async (_name, make, code, message) => {
    const input = await make(dir);
    const out = await outDir();
    const rejection = await photos.photo(input, out).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(MediaRejectedError);
    expect(rejection).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(readdirSync(out)).toEqual([]);
  });

  it('accepts a sound photo whose camera wrote stray bytes before its end, a warning that harms no pixel', async () => {
    const result = await photos.photo(await photoFixtures.strayBytesJpeg(dir), await outDir());
    expect(result).toMatchObject({ width: 640, height: 480 });
    expect(result.outputs.length).toBeGreaterThan(0);
  });

  it('refuses a video passed as a photo', async () => {
    await expect(photos.photo(videoFixtures.noAudio(dir), await outDir())).rejects.toMatchObject({ code: RejectionCode.NotAnImage });
  });
});

/** Mean RGB of a region (sharp's stats() looks at the whole input, not the extracted region). */
async function meanColour(path: string, region: Region): Promise<number[]> {
  const pixels = await sharp(path).extract(region).removeAlpha().raw().toBuffer();
  const sums = [0, 0, 0];
  pixels.forEach((value, i) => (sums[i % 3] += value));
  return sums.map((sum) => sum / (pixels.length / 3));
}
