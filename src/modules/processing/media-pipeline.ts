import { Injectable } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PhotoProcessor, VideoProber, VideoRenderer } from '../media/media.ports';
import { ImageOutputs, ProgressListener } from '../media/media.types';
import { AssetRole } from '../testimonies/asset.entity';
import { ProcessedMedia, Rendition } from './rendition-store';

function imageRenditions(images: ImageOutputs): Rendition[] {
  return images.outputs.map((o) => ({ role: o.role as AssetRole, variant: o.variant, file: o.file }));
}

/** Turns a staged original into renditions through the media adapters; decides nothing about storage. */
@Injectable()
export class MediaPipeline {
  constructor(
    private readonly prober: VideoProber,
    private readonly renderer: VideoRenderer,
    private readonly images: PhotoProcessor,
  ) {}

  async video(input: string, workDir: string, onProgress: ProgressListener): Promise<ProcessedMedia> {
    const probe = await this.prober.probe(input);
    // Separate folders: each adapter names its own files, and must not overwrite the other's.
    const [videoDir, imageDir] = [join(workDir, 'video'), join(workDir, 'images')];
    await Promise.all([mkdir(videoDir), mkdir(imageDir)]);
    const video = await this.renderer.render(input, probe, videoDir, onProgress);
    const poster = await this.images.posterImages(video.poster.path, imageDir);
    return {
      renditions: [
        ...(video.publish ? [{ role: AssetRole.Publish, variant: '', file: video.publish }] : []),
        ...(video.review ? [{ role: AssetRole.Review, variant: '', file: video.review }] : []),
        { role: AssetRole.Poster, variant: '', file: video.poster },
        ...imageRenditions(poster),
      ],
      placeholder: poster.placeholder,
      original: { width: probe.width, height: probe.height, durationMs: probe.durationMs, details: { ...probe } },
      later: video.publish ? AssetRole.Review : AssetRole.Publish,
    };
  }

  /** The publish rendition of a video whose first pass made only the review copy. */
  async publish(input: string, workDir: string, onProgress: ProgressListener): Promise<Rendition> {
    const file = await this.renderer.publish(input, await this.prober.probe(input), workDir, onProgress);
    return { role: AssetRole.Publish, variant: '', file };
  }

  async photo(input: string, workDir: string): Promise<ProcessedMedia> {
    const photo = await this.images.photo(input, workDir);
    return {
      renditions: imageRenditions(photo),
      placeholder: photo.placeholder,
      original: { width: photo.width, height: photo.height, durationMs: null, details: {} },
      later: null,
    };
  }
}
