import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { CaptionBurner } from '../src/modules/captions/burn-in/caption-burner';
import { FfmpegCancelledError, FfmpegFailedError } from '../src/modules/media/ffmpeg-errors';
import {
  assScript, boundingBox, Box, captionMediaServices, colourClip, glyphShape, KHMER_SAMPLE, referenceText, shapeIoU,
} from './support/caption-fixtures';
import { ffmpeg, ffprobeJson, mediaWorkDir, topLevelBoxes } from './support/media-fixtures';

const FONTS_DIR = '/usr/share/fonts/truetype/khmeros';
/**
 * Glyph-shape IoU against the Pango/HarfBuzz reference, measured on this machine (ffmpeg 5.1.9 with
 * libass + HarfBuzz, sharp 0.35.5 with Pango 1.58 / HarfBuzz 14.5): our `ass` path scored 0.81 (the
 * same glyphs; only antialiasing and hinting differ), ffmpeg's `subtitles` filter 0.12 (its simple
 * shaper draws each coeng as a separate mark with a dotted circle below the line, and the pre-base
 * vowel ែ after its consonant instead of before). 0.5 leaves a wide margin on both sides.
 */
const SAME_SHAPE = 0.5;
const LANDSCAPE = { width: 1280, height: 720 };

describe('captions: burned in with Khmer shaping (real ffmpeg, libass)', () => {
  let dir: string;
  let burner: CaptionBurner;
  let darkClip: string;

  beforeAll(async () => {
    dir = mediaWorkDir();
    ({ burner } = await captionMediaServices());
    darkClip = colourClip(dir, 'dark.mp4', '0x202020', '1280x720', 2, true);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function frameAt(video: string, seconds: number, name: string): string {
    const png = join(dir, name);
    ffmpeg('-ss', String(seconds), '-i', video, '-frames:v', '1', png);
    return png;
  }

  const khmerCue = assScript(LANDSCAPE, [{ startMs: 0, endMs: 5000, text: KHMER_SAMPLE }]);

  it('burns Khmer with subscripts and vowels shaped like the HarfBuzz reference, into a clean H.264 MP4', async () => {
    const outDir = join(dir, 'burn');
    mkdirSync(outDir);
    const output = join(outDir, 'captioned.mp4');
    const progress: number[] = [];
    await burner.burn(darkClip, khmerCue, output, { durationMs: 2000, onProgress: (p) => progress.push(p) });

    const burned = frameAt(output, 1, 'ass-frame.png');
    const score = shapeIoU(await glyphShape(burned, 'luma'), await glyphShape(await referenceText(KHMER_SAMPLE), 'alpha'));
    expect(score).toBeGreaterThanOrEqual(SAME_SHAPE);

    const probed = ffprobeJson(output);
    expect(probed.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([['video', 'h264'], ['audio', 'aac']]);
    expect(probed.streams[0].pix_fmt).toBe('yuv420p');
    expect(topLevelBoxes(output).indexOf('moov')).toBeLessThan(topLevelBoxes(output).indexOf('mdat'));
    expect(progress.at(-1)).toBe(100);
    expect(readdirSync(outDir)).toEqual(['captioned.mp4']); // the temporary .ass is gone
  });

  it("fails the same comparison for ffmpeg's subtitles filter, whose simple shaper breaks Khmer", async () => {
    const script = join(dir, 'simple.ass');
    writeFileSync(script, khmerCue);
    const broken = join(dir, 'subtitles-frame.png');
    ffmpeg('-f', 'lavfi', '-i', 'color=c=0x202020:s=1280x720:d=1', '-vf', `subtitles=${script}:fontsdir=${FONTS_DIR}`, '-frames:v', '1', broken);

    const score = shapeIoU(await glyphShape(broken, 'luma'), await glyphShape(await referenceText(KHMER_SAMPLE), 'alpha'));
    expect(score).toBeLessThan(SAME_SHAPE);
  });

  it('previews one captioned frame at the asked time, not the first second', async () => {
    const script = assScript(LANDSCAPE, [{ startMs: 1000, endMs: 1600, text: KHMER_SAMPLE }]);
    const during = join(dir, 'preview-during.png');
    const before = join(dir, 'preview-before.png');
    await burner.captionedFrame(darkClip, script, 1.3, during);
    await burner.captionedFrame(darkClip, script, 0.3, before);

    expect(await boundingBox(during, 'luma', (v) => v > 128)).toBeDefined();
    expect(await boundingBox(before, 'luma', (v) => v > 128)).toBeUndefined();
  });

  it('keeps a two-line cue inside the safe margins of a portrait clip', async () => {
    const portrait = colourClip(dir, 'portrait.mp4', '0x202020', '720x1280', 1);
    const margin = { x: 36, y: 64 }; // 5 % of each side
    const style = { width: 720, height: 1280, fontSize: 56, marginLR: 48, marginV: 96 };
    const inkBox = async (text: string, name: string) => {
      const frame = join(dir, name);
      await burner.captionedFrame(portrait, assScript(style, [{ startMs: 0, endMs: 1000, text }]), 0.5, frame);
      return (await boundingBox(frame, 'luma', differsFromDark))!;
    };
    const oneLine = await inkBox(KHMER_SAMPLE, 'portrait-one-line.png');
    const box = await inkBox(`${KHMER_SAMPLE} ${KHMER_SAMPLE}\\N${KHMER_SAMPLE}`, 'portrait.png');

    expect(box.height).toBeGreaterThan(1.6 * oneLine.height); // two lines, not one
    expect(box.left).toBeGreaterThanOrEqual(margin.x);
    expect(box.top).toBeGreaterThanOrEqual(margin.y);
    expect(box.left + box.width).toBeLessThanOrEqual(720 - margin.x);
    expect(box.top + box.height).toBeLessThanOrEqual(1280 - margin.y);
  });

  it('keeps white text readable on a white picture through its outline', async () => {
    const onDark = join(dir, 'on-dark.png');
    await burner.captionedFrame(darkClip, khmerCue, 0.5, onDark);
    const white = colourClip(dir, 'white.mp4', 'white', '1280x720', 1);
    const onWhite = join(dir, 'on-white.png');
    await burner.captionedFrame(white, khmerCue, 0.5, onWhite);

    // The white fill vanishes into the picture; the black outline still draws every glyph, in the same
    // place and size as the whole caption (fill and outline) on a dark picture.
    const outline = (await boundingBox(onWhite, 'luma', (v) => v < 64))!;
    const caption = (await boundingBox(onDark, 'luma', differsFromDark))!;
    for (const side of ['left', 'top', 'width', 'height'] as const) expect(Math.abs(outline[side] - caption[side])).toBeLessThanOrEqual(4);
    expect(await countPixels(onWhite, (v) => v < 64)).toBeGreaterThan(2000); // about 3000 measured: a 3 px outline, not specks
  });

  it('draws neutralised override tags as text: they neither move nor resize the cue', async () => {
    const plain = (await textBox(KHMER_SAMPLE, 'plain.png'))!;
    const neutralised = (await textBox(`｛\\pos(10,10)｝｛\\fs200｝${KHMER_SAMPLE}`, 'neutralised.png'))!;
    expect(neutralised.top + neutralised.height).toBeCloseTo(plain.top + plain.height, -1); // the same bottom line
    expect(neutralised.height).toBeLessThan(plain.height * 1.5);

    // The controls: the same tags with real braces do move (bottom-centre anchored at 10,10: off screen) and resize.
    const moved = await textBox(`{\\pos(10,10)}${KHMER_SAMPLE}`, 'moved.png');
    expect(moved === undefined || moved.top + moved.height < 100).toBe(true);
    const resized = (await textBox(`{\\fs200}${KHMER_SAMPLE}`, 'resized.png'))!;
    expect(resized.height).toBeGreaterThan(plain.height * 2);
  });

  it('finds a filter path with a colon, a quote and a comma in it, and cleans up after a failure or cancel', async () => {
    const awkward = join(dir, "it's: a, [dir]");
    mkdirSync(awkward);
    await burner.burn(darkClip, khmerCue, join(awkward, 'out.mp4'), { durationMs: 2000 });
    expect(readdirSync(awkward)).toEqual(['out.mp4']);

    await expect(burner.burn(join(dir, 'missing.mp4'), khmerCue, join(awkward, 'bad.mp4'))).rejects.toBeInstanceOf(FfmpegFailedError);
    await expect(burner.burn(darkClip, khmerCue, join(awkward, 'cancelled.mp4'), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(FfmpegCancelledError);
    expect(readdirSync(awkward)).toEqual(['out.mp4']);
  });

  async function textBox(text: string, name: string): Promise<Box | undefined> {
    const png = join(dir, name);
    await burner.captionedFrame(darkClip, assScript(LANDSCAPE, [{ startMs: 0, endMs: 2000, text }]), 0.5, png);
    return boundingBox(png, 'luma', (v) => v > 128);
  }
});

/** Caption ink of any kind (white fill or black outline) on the 0x202020 picture, past encoding noise. */
const differsFromDark = (v: number) => Math.abs(v - 0x20) > 12;

async function countPixels(png: string, inside: (value: number) => boolean): Promise<number> {
  const data = await sharp(png).greyscale().extractChannel(0).raw().toBuffer();
  return data.filter(inside).length;
}
