import { Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { readHead } from './file-head';
import { classifySharpError, isHarmlessDecodeWarning, isHeic } from './image-input';
import { encodeVariant, placeholder, RawImage, VariantSpec } from './image-variants';
import { rejection, tooManyPixels } from './media-rejections';
import { PhotoProcessor } from './media.ports';
import { ImageOutputs, RejectionCode } from './media.types';
import { renditionFile } from './rendition-file';

// libvips' file cache keeps decoded images around and grew memory by gigabytes in Immich; we never
// read the same file twice, so it only costs memory.
sharp.cache(false);

const FOUR_MB = 4 * 1024 * 1024;
const PHOTO_VARIANTS: VariantSpec[] = [
  { role: 'publish', variant: 'jpeg', format: 'jpeg', maxLongEdge: 2048, quality: 82, maxBytes: FOUR_MB },
  { role: 'preview', variant: '1280w-webp', format: 'webp', maxWidth: 1280, quality: 80 },
  { role: 'thumbnail', variant: '320w-webp', format: 'webp', maxWidth: 320, quality: 80 },
];
const POSTER_VARIANTS: VariantSpec[] = [
  { role: 'thumbnail', variant: '320w-jpeg', format: 'jpeg', maxWidth: 320, quality: 80 },
  { role: 'thumbnail', variant: '320w-webp', format: 'webp', maxWidth: 320, quality: 80 },
  { role: 'thumbnail', variant: '640w-webp', format: 'webp', maxWidth: 640, quality: 80 },
];
/** HEIF here means AVIF only: the prebuilt libvips has no HEVC decoder (patent licensing). */
const CAN_DECODE_HEIC = (sharp.format.heif?.input.fileSuffix ?? []).includes('.heic');

@Injectable()
export class ImageProcessor implements PhotoProcessor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  photo(input: string, outDir: string): Promise<ImageOutputs> {
    return this.process(input, outDir, 'photo', PHOTO_VARIANTS);
  }

  posterImages(posterJpeg: string, outDir: string): Promise<ImageOutputs> {
    return this.process(posterJpeg, outDir, 'poster', POSTER_VARIANTS);
  }

  private async process(input: string, outDir: string, stem: string, variants: VariantSpec[]): Promise<ImageOutputs> {
    const image = await this.decodeOnce(input, largestNeeded(variants));
    const paths = variants.map((spec) => join(outDir, `${stem}-${spec.role}-${spec.variant}.${spec.format === 'jpeg' ? 'jpg' : 'webp'}`));
    try {
      // Every variant from the same raw buffer, in parallel: libvips uses one thread per image here.
      const [hash, ...encoded] = await Promise.all([placeholder(image), ...variants.map((spec, i) => encodeVariant(image, spec, paths[i]))]);
      const outputs = await Promise.all(
        variants.map(async (spec, i) => ({
          role: spec.role,
          variant: spec.variant,
          file: await renditionFile(paths[i], encoded[i], null, { quality: encoded[i].quality }),
        })),
      );
      return { outputs, placeholder: hash, width: image.width, height: image.height };
    } catch (error) {
      await Promise.all(paths.map((path) => rm(path, { force: true })));
      throw error;
    }
  }

  /** Header checks first (cheap, no pixels decoded), then one decode: upright, sRGB, no bigger than needed. */
  private async decodeOnce(input: string, maxLongEdge: number): Promise<RawImage> {
    if (!CAN_DECODE_HEIC && isHeic(await readHead(input))) throw rejection(RejectionCode.HeicUnsupported);
    const { maxImagePixels } = this.config.media;
    // metadata() reads only the header, so no pixel limit there: we check it ourselves to name the size.
    const header = await sharp(input, { limitInputPixels: false })
      .metadata()
      .catch((error: unknown) => Promise.reject(classifySharpError(error)));
    if (!header.width || !header.height) throw rejection(RejectionCode.NotAnImage);
    if (header.width * header.height > maxImagePixels) throw tooManyPixels(header.width, header.height, maxImagePixels);

    const decode = async (failOn: 'warning' | 'error'): Promise<RawImage> => {
      const { data, info } = await sharp(input, { failOn, limitInputPixels: maxImagePixels })
        .rotate()
        .resize({ width: maxLongEdge, height: maxLongEdge, fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: info.channels };
    };
    // libjpeg only warns about damaged compressed data and paints the rest grey: a photo that looks
    // fine in its first rows but is a grey block below. So warnings fail the decode, except the few
    // that some cameras cause on every photo and that leave every pixel intact.
    try {
      return await decode('warning');
    } catch (error) {
      if (!isHarmlessDecodeWarning(error)) throw classifySharpError(error);
    }
    try {
      return await decode('error');
    } catch (error) {
      throw classifySharpError(error);
    }
  }
}

function largestNeeded(variants: VariantSpec[]): number {
  return Math.max(...variants.map((spec) => spec.maxLongEdge ?? spec.maxWidth ?? 0));
}
