import { Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { DataSource, In } from 'typeorm';
import { RenditionFile } from '../media/media.types';
import { storageKeys } from '../storage/storage-keys';
import { StorageService } from '../storage/storage.service';
import { Asset, AssetRole } from '../testimonies/asset.entity';
import { Testimony } from '../testimonies/testimony.entity';
import { TestimonyLifecycle } from '../testimonies/testimony-lifecycle.service';
import { TestimonyStatus } from '../testimonies/testimony-status';

/** One file a processing run made, with the asset role and variant it is kept under. */
export interface Rendition {
  role: AssetRole;
  variant: string;
  file: RenditionFile;
}

export interface ProcessedMedia {
  renditions: Rendition[];
  placeholder: string;
  /** What was learned about the original, stored on its asset row. */
  original: { width: number; height: number; durationMs: number | null; details: object };
  /**
   * The rendition a job of its own makes after the item reached review: the light review copy of a
   * remux, or the publish rendition of a transcoded video. Null for photos.
   */
  later: AssetRole.Review | AssetRole.Publish | null;
}

/**
 * Stores a run's renditions so that running it twice changes nothing: keys come from ids, role, variant
 * and generation (a retry overwrites its own objects), and rows are upserted on (testimony, role, variant).
 */
@Injectable()
export class RenditionStore {
  private readonly logger = new Logger(RenditionStore.name);

  constructor(
    private readonly storage: StorageService,
    private readonly db: DataSource,
    private readonly lifecycle: TestimonyLifecycle,
  ) {}

  async upload(testimonyId: string, generation: number, renditions: Rendition[]): Promise<Partial<Asset>[]> {
    // All at once: a handful of files, most of them small, so waiting on each round trip in turn would
    // cost more than the link they share (measured: a photo's variants went up 3x slower one by one).
    return Promise.all(
      renditions.map(async ({ role, variant, file }) => {
        const storageKey = storageKeys.rendition(testimonyId, generation, role, variant, file.extension);
        const stored = await this.storage.put(storageKey, createReadStream(file.path), { contentType: file.mimeType, contentLength: file.byteSize });
        return {
          testimonyId,
          role,
          variant,
          storageKey,
          mimeType: file.mimeType,
          byteSize: stored.size,
          width: file.width,
          height: file.height,
          durationMs: file.durationMs,
          details: file.details,
          sha256: null,
          originalFilename: null,
        };
      }),
    );
  }

  /**
   * Points the item at the new renditions and sends it to review, in one transaction with the row locked.
   * Returns false, changing nothing, when the item was deleted, withdrawn or re-processed meanwhile.
   */
  async commit(testimonyId: string, generation: number, rows: Partial<Asset>[], media: ProcessedMedia): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const testimony = await em.getRepository(Testimony).findOne({ where: { id: testimonyId }, lock: { mode: 'pessimistic_write' } });
      if (!testimony || testimony.processingGeneration !== generation || testimony.status !== TestimonyStatus.Processing) return false;
      const assets = em.getRepository(Asset);
      await assets.upsert(rows, { conflictPaths: ['testimonyId', 'role', 'variant'] });
      // A rendition an older run made that this run did not (a variant since dropped) would point at deleted objects.
      // Captioned videos are not processing's: they live outside the generation folders and stay valid, since
      // the captions are timed to the same original.
      const made = new Set(rows.map((r) => `${r.role}/${r.variant}`));
      const kept = new Set([AssetRole.Original, AssetRole.Captions]);
      const older = (await assets.findBy({ testimonyId })).filter((a) => !kept.has(a.role) && !made.has(`${a.role}/${a.variant}`));
      if (older.length > 0) await assets.delete({ id: In(older.map((a) => a.id)) });
      const { width, height, durationMs, details } = media.original;
      await assets.update({ testimonyId, role: AssetRole.Original }, { width, height, durationMs, details });
      await this.lifecycle.tryMove(
        testimonyId,
        { move: 'testimony.processed', actor: null, generation, set: { progress: 100, failureReason: null, failureCode: null, failureFigures: null, placeholder: media.placeholder }, details: { generation } },
        em,
      );
      return true;
    });
  }

  /**
   * Stores a rendition made after the item reached review (see ProcessedMedia.later). Kept only while the
   * item is still at this generation and neither processing again nor withdrawn; otherwise nobody wants
   * it, and its objects are removed again.
   */
  async addLate(testimonyId: string, generation: number, renditions: Rendition[]): Promise<'done' | 'stale'> {
    const rows = await this.upload(testimonyId, generation, renditions);
    const kept = await this.db.transaction(async (em) => {
      const testimony = await em.getRepository(Testimony).findOne({ where: { id: testimonyId }, lock: { mode: 'pessimistic_read' } });
      if (!testimony || !wantsLateRendition(testimony, generation)) return false;
      await em.getRepository(Asset).upsert(rows, { conflictPaths: ['testimonyId', 'role', 'variant'] });
      return true;
    });
    if (kept) return 'done';
    await Promise.all(rows.map((row) => this.storage.delete(row.storageKey!).catch((error: Error) => this.logger.warn(error.message))));
    return 'stale';
  }

  /** Objects of earlier runs, including any a superseded run left without a row; best effort, as the new ones are in place. */
  async removeOlderGenerations(testimonyId: string, generation: number): Promise<void> {
    for (let older = 0; older < generation; older++) {
      await this.removeGeneration(testimonyId, older).catch((error: Error) =>
        this.logger.warn(`Could not remove generation ${older} of testimony ${testimonyId}: ${error.message}; deleting the item removes them.`),
      );
    }
  }

  async removeGeneration(testimonyId: string, generation: number): Promise<void> {
    await this.storage.deletePrefix(storageKeys.renditionPrefix(testimonyId, generation));
  }
}

/** Whether a rendition made for `generation` after the first pass still belongs to the item. */
export function wantsLateRendition(testimony: Testimony, generation: number): boolean {
  return testimony.processingGeneration === generation && ![TestimonyStatus.Processing, TestimonyStatus.Withdrawn].includes(testimony.status);
}
