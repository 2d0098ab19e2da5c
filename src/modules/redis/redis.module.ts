import { Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/**
 * A Redis connection for short request-time commands (login limiter, health). Commands fail fast while
 * Redis is down instead of queueing, so a request answers 503 rather than hanging.
 */
@Injectable()
export class RedisClient implements OnModuleDestroy {
  private readonly logger = new Logger(RedisClient.name);
  readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new IORedis(config.redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 3000,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 500, 5000),
    });
    let warned = false;
    this.redis.on('error', (error) => {
      if (!warned) this.logger.warn(`Redis unreachable: ${error.message}`);
      warned = true;
    });
    this.redis.on('ready', () => (warned = false));
  }

  async ping(timeoutMs = 1500): Promise<void> {
    await Promise.race([
      this.redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('Redis did not answer PING in time')), timeoutMs).unref()),
    ]);
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}

@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
