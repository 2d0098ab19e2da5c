import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { StorageService } from './storage.service';

/**
 * Creates the bucket at start-up when missing. S3 being down is not fatal here: /ready reports it,
 * and the bucket is checked again the next time the process starts.
 */
@Injectable()
export class BucketBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(BucketBootstrap.name);

  constructor(private readonly storage: StorageService) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.storage.ensureBucket();
    } catch (error) {
      this.logger.warn(`S3 storage is not reachable yet (${(error as Error).message}); media uploads will fail until it is.`);
    }
  }
}
