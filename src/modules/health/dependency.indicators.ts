import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { FfmpegBinaries } from '../media/ffmpeg-binaries';
import { RedisClient } from '../redis/redis.module';
import { StorageService } from '../storage/storage.service';
import { describeRedisSettings } from './redis-settings';

/** Readiness checks: each names its dependency and says what is wrong. */
@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisClient,
    private readonly storage: StorageService,
    private readonly binaries: FfmpegBinaries,
    private readonly db: DataSource,
  ) {}

  /** Terminus's TypeORM check reports a refused connection as a bare "down"; this one says why. */
  async databaseUp(timeoutMs = 2000): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: `PostgreSQL is not answering: ${(error as Error).message || String(error)}` });
    } finally {
      clearTimeout(timer);
    }
  }

  async redisUp(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('redis');
    try {
      await this.redis.ping();
      return check.up();
    } catch (error) {
      return check.down({ message: `Redis is not answering: ${(error as Error).message}` });
    }
  }

  /** Always "up": settings that put queued work at risk are a warning for operators, not a reason to stop serving. */
  async redisSettings(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('redisSettings');
    const read = async (name: string) => ((await this.redis.redis.config('GET', name)) as string[])[1] ?? '';
    try {
      const [maxmemoryPolicy, appendonly, save] = await Promise.all([read('maxmemory-policy'), read('appendonly'), read('save')]);
      return check.up({ ...describeRedisSettings({ maxmemoryPolicy, appendonly, save }) });
    } catch {
      // Refused (managed Redis) or unreachable: redisUp() reports the latter.
      return check.up({ ...describeRedisSettings(null) });
    }
  }

  async storageUp(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('storage');
    try {
      await this.storage.ping();
      return check.up({ bucket: this.storage.bucketName });
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      const reason = e.$metadata?.httpStatusCode === 404 ? `bucket ${this.storage.bucketName} does not exist` : e.message || e.name;
      return check.down({ message: `S3 storage is not reachable: ${reason}` });
    }
  }

  async mediaToolsUp(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('ffmpeg');
    const { ffmpeg, ffprobe } = await this.binaries.check();
    if (ffmpeg.ok && ffprobe.ok) return check.up({ ffmpeg: ffmpeg.detail, ffprobe: ffprobe.detail });
    return check.down({ message: [ffmpeg, ffprobe].filter((b) => !b.ok).map((b) => b.detail).join('; ') });
  }
}
