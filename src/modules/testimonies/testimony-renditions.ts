import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { StorageService } from '../storage/storage.service';
import { Asset, AssetRole } from './asset.entity';
import { LIST_THUMBNAIL_VARIANT, RenditionDto } from './dto/testimony.dto';

/**
 * Links to a testimony's renditions. The original is never linked: it may carry GPS and the phone's
 * details, and it stays inside the system.
 */
@Injectable()
export class TestimonyRenditions {
  constructor(
    @InjectRepository(Asset) private readonly assets: Repository<Asset>,
    private readonly storage: StorageService,
  ) {}

  async list(testimonyId: string): Promise<RenditionDto[]> {
    const assets = await this.assets.find({
      where: { testimonyId, role: Not(AssetRole.Original) },
      order: { role: 'ASC', variant: 'ASC' },
    });
    return Promise.all(
      assets.map(async (a) => {
        const link = await this.storage.presignGet(a.storageKey, { contentType: a.mimeType });
        return {
          role: a.role,
          variant: a.variant,
          mimeType: a.mimeType,
          width: a.width,
          height: a.height,
          durationMs: a.durationMs,
          byteSize: a.byteSize,
          url: link.url,
          urlExpiresAt: link.expiresAt.toISOString(),
        };
      }),
    );
  }

  /** Thumbnail links for a page of items, by testimony id; items without one yet are absent. */
  async thumbnailUrls(testimonyIds: string[]): Promise<Map<string, string>> {
    if (testimonyIds.length === 0) return new Map();
    const thumbnails = await this.assets.findBy({ testimonyId: In(testimonyIds), role: AssetRole.Thumbnail, variant: LIST_THUMBNAIL_VARIANT });
    const links = await Promise.all(
      thumbnails.map(async (t) => [t.testimonyId, (await this.storage.presignGet(t.storageKey, { contentType: t.mimeType })).url] as const),
    );
    return new Map(links);
  }
}
