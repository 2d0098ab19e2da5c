import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { CaptionLanguage } from './caption.types';

/** Vertical 9:16 is what the campaign publishes, so it is the safe guess before processing has measured it. */
const DEFAULT_FRAME = { width: 1080, height: 1920 };

/** What captions need to know about a testimony's video, read from its asset rows. */
@Injectable()
export class CaptionMedia {
  constructor(@InjectRepository(Asset) private readonly assets: Repository<Asset>) {}

  /** The video's length, so a cue past the end is refused; unknown until processing has probed the original. */
  async durationMs(testimonyId: string): Promise<number | undefined> {
    const original = await this.assets.findOne({ where: { testimonyId, role: AssetRole.Original }, select: { durationMs: true } });
    return original?.durationMs ?? undefined;
  }

  /** The frame of the published rendition, which burned-in (ASS) captions are laid out for. */
  async publishFrame(testimonyId: string): Promise<{ width: number; height: number }> {
    return frameOf(await this.publishRendition(testimonyId));
  }

  /** The rendition captions are timed against and burned into; none until processing has finished. */
  publishRendition(testimonyId: string): Promise<Asset | null> {
    return this.assets.findOne({ where: { testimonyId, role: AssetRole.Publish }, order: { variant: 'ASC' } });
  }

  /** The video with the captions of `language` burned in, if one was rendered. */
  captionedVideo(testimonyId: string, language: CaptionLanguage): Promise<Asset | null> {
    return this.assets.findOneBy({ testimonyId, role: AssetRole.Captions, variant: language });
  }
}

export function frameOf(publish: Asset | null): { width: number; height: number } {
  return publish?.width && publish.height ? { width: publish.width, height: publish.height } : DEFAULT_FRAME;
}
