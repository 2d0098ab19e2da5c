import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaptionTrackVersion } from '../../captions/caption-track-version.entity';
import { CaptionTrack } from '../../captions/caption-track.entity';
import { CaptionLanguage } from '../../captions/caption.types';
import { facebookCaptionFileName, toSrt } from '../../captions/formats';
import { StorageService } from '../../storage/storage.service';
import { AssetRole } from '../../testimonies/asset.entity';
import { MediaKind } from '../../testimonies/testimony-status';
import { Publication } from '../publication.entity';

export interface PinnedFile {
  key: string;
  size: number;
}

/**
 * The files and captions an approval pinned, and nothing else: what appears on the Page is what the
 * editor saw. A video with burned-in captions is sent as it is (Facebook autoplays muted, and Khmer
 * caption files are not shown everywhere); without them, a caption file goes up per pinned language.
 */
@Injectable()
export class PinnedMedia {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
  ) {}

  async file(p: Publication): Promise<PinnedFile> {
    const wanted = p.kind === MediaKind.Photo ? [AssetRole.Publish] : [AssetRole.Captions, AssetRole.Publish];
    const rendition = wanted.map((role) => p.pinned.renditions.find((r) => r.role === role)).find((r) => r !== undefined);
    if (!rendition) throw new Error(`Publication ${p.id} pinned no ${wanted.join(' or ')} rendition`);
    const stored = await this.storage.head(rendition.storageKey);
    if (!stored) throw new Error(`The pinned file ${rendition.storageKey} is missing from storage`);
    return { key: rendition.storageKey, size: stored.size };
  }

  burnedIn(p: Publication): boolean {
    return p.pinned.renditions.some((r) => r.role === AssetRole.Captions);
  }

  /** SRT files of the pinned caption versions, named with Facebook's locale (`<id>.km_KH.srt`). */
  async captionFiles(p: Publication): Promise<{ fileName: string; srt: string; isDefault: boolean }[]> {
    const files = [];
    for (const pin of p.pinned.captions) {
      const track = await this.db.getRepository(CaptionTrack).findOneBy({ testimonyId: p.testimonyId, language: pin.language as CaptionLanguage });
      const version = track && (await this.db.getRepository(CaptionTrackVersion).findOneBy({ trackId: track.id, version: pin.version }));
      if (!version) throw new Error(`Caption version ${pin.language} v${pin.version} of ${p.testimonyId} is gone`);
      files.push({ fileName: facebookCaptionFileName(p.testimonyId, pin.language as CaptionLanguage), srt: toSrt(version.cues), isDefault: pin.language === 'km' });
    }
    return files;
  }
}
