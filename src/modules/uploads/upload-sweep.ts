import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { In, IsNull, Not, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { TestimonyStatus } from '../testimonies/testimony-status';
import { Testimony } from '../testimonies/testimony.entity';
import { PHOTO_UPLOAD_PREFIX, stagedPath } from './staged-media';
import { UploadFinisher } from './upload-finisher';
import { fromMetadata, TusUploads } from './tus-uploads.service';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export interface SweepReport {
  handedOver: number;
  accepted: number;
  expired: number;
}

/**
 * Finishes what a crash interrupted and removes what nobody will finish, at start-up and every ten
 * minutes. Each step is idempotent, so instances sharing a staging folder may sweep at the same time.
 */
@Injectable()
export class UploadSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UploadSweep.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>,
    private readonly finisher: UploadFinisher,
    private readonly tus: TusUploads,
  ) {}

  onApplicationBootstrap(): void {
    this.trigger();
    // unref: a pending sweep must never keep a stopping process alive.
    this.timer = setInterval(() => this.trigger(), SWEEP_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private trigger(): void {
    this.running ??= this.sweep()
      .catch((error: unknown) => this.logger.warn(`Upload sweep failed; it runs again in 10 minutes: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
  }

  async sweep(): Promise<SweepReport> {
    const handedOver = await this.finishHandOvers();
    const accepted = await this.acceptFinishedTusUploads();
    const expired = (await this.tus.cleanUpExpired()) + (await this.removeStalePhotos());
    if (handedOver + accepted + expired > 0) this.logger.log(`Upload sweep: ${handedOver} handed over, ${accepted} accepted, ${expired} expired`);
    return { handedOver, accepted, expired };
  }

  /** Items accepted before a crash whose bytes are still staged here: move them on. */
  private async finishHandOvers(): Promise<number> {
    const waiting = await this.testimonies.find({ where: { status: TestimonyStatus.Uploading, uploadId: Not(IsNull()) }, select: { id: true, uploadId: true } });
    let count = 0;
    for (const { id, uploadId } of waiting) {
      if (!existsSync(stagedPath(this.config.uploads.stagingDir, uploadId!))) continue;
      await this.finisher.handOver(id);
      count++;
    }
    return count;
  }

  /** A tus upload that received its last byte but whose finish a crash cut short has no item yet. */
  private async acceptFinishedTusUploads(): Promise<number> {
    const ids = (await this.tus.store.configstore.list?.()) ?? [];
    const known = new Set((await this.testimonies.find({ where: { uploadId: In(ids) }, select: { uploadId: true } })).map((t) => t.uploadId));
    let count = 0;
    for (const id of ids.filter((i) => !known.has(i))) {
      const upload = await this.tus.store.getUpload(id).catch(() => null);
      if (!upload || upload.size === undefined || upload.offset !== upload.size) continue;
      await this.finisher.accept(fromMetadata(id, upload.metadata ?? {})).catch((error: unknown) => {
        this.logger.warn(`Finished upload ${id} was refused: ${(error as Error).message}`);
      });
      count++;
    }
    return count;
  }

  /** Photos staged by a request that died before its item was created (items in `uploading` keep theirs). */
  private async removeStalePhotos(): Promise<number> {
    const dir = this.config.uploads.stagingDir;
    const cutoff = Date.now() - this.config.uploads.expiryHours * 3600 * 1000;
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(PHOTO_UPLOAD_PREFIX));
    const inUse = new Set((await this.testimonies.find({ where: { uploadId: In(names) }, select: { uploadId: true } })).map((t) => t.uploadId));
    let removed = 0;
    for (const name of names.filter((n) => !inUse.has(n))) {
      const stats = await stat(stagedPath(dir, name)).catch(() => null);
      if (stats && stats.mtimeMs < cutoff) {
        await rm(stagedPath(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
