import { HttpStatus, Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/errors/app-error';
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

/**
 * A fixed-window count of one kind of costly request per person, shared by every API instance.
 * Counted first and checked after, in one MULTI, so requests arriving together cannot all slip under
 * the limit. While Redis is down it lets requests through: the work they start needs Redis anyway.
 */
@Injectable()
export class PerUserRate {
  private readonly logger = new Logger(PerUserRate.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisClient,
  ) {}

  async take(what: string, userId: string, limit: number, windowSeconds: number): Promise<void> {
    const key = `${this.config.queues.prefix}:rate:${what}:${userId}`;
    let count: number;
    let ttl: number;
    try {
      const results = await this.redis.redis.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
      count = Number(results?.[0]?.[1]);
      ttl = Number(results?.[2]?.[1]);
    } catch (error) {
      this.logger.warn(`Rate limit for ${what} skipped, Redis unavailable: ${(error as Error).message}`);
      return;
    }
    if (count > limit) {
      const wait = Math.max(ttl, 1);
      throw new AppError(ErrorCode.RateLimited, `Too many requests of this kind. Wait ${wait} second(s) and try again.`, HttpStatus.TOO_MANY_REQUESTS, {
        'Retry-After': String(wait),
      });
    }
  }
}

@Module({ providers: [RedisClient, PerUserRate], exports: [RedisClient, PerUserRate] })
export class RedisModule {}
