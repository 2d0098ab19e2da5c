import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { StorageService } from './storage.service';

const RETRY_MS = 3000;

/**
 * Creates the bucket at start-up when missing. S3 being down is not fatal here: /ready reports it,
 * and the bucket is checked again every few seconds until it is in place, so a process that started
 * before S3 (a fresh install where the storage server is still starting) becomes ready without a restart.
 */
@Injectable()
export class BucketBootstrap implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BucketBootstrap.name);
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly storage: StorageService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureBucket(true);
  }

  private async ensureBucket(first: boolean): Promise<void> {
    try {
      await this.storage.ensureBucket();
      if (!first) this.logger.log(`S3 storage is reachable again; bucket ${this.storage.bucketName} is in place.`);
    } catch (error) {
      if (first) {
        this.logger.warn(`S3 storage is not reachable yet (${(error as Error).message}); media uploads will fail until it is. Retrying every ${RETRY_MS / 1000} s.`);
      }
      if (this.stopped) return;
      this.retry = setTimeout(() => void this.ensureBucket(false), RETRY_MS);
      this.retry.unref();
    }
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }
}
