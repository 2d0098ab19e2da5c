import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RedisClient } from '../redis/redis.module';

/** Shared IPs (a whole village behind one mobile carrier NAT) get more room than a single username. */
const IP_ALLOWANCE_FACTOR = 5;

/**
 * Counts failed sign-ins per username and per client IP in Redis, so the limit holds across API
 * instances. When Redis is down it lets sign-ins through: locking everyone out is worse than a
 * brief gap in brute-force protection, and argon2 still makes each guess slow.
 */
@Injectable()
export class LoginLimiter {
  private readonly logger = new Logger(LoginLimiter.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisClient,
  ) {}

  private keys(username: string, ip: string | null): { key: string; limit: number }[] {
    const { prefix } = this.config.queues;
    const max = this.config.auth.loginMaxFailures;
    const keys = [{ key: `${prefix}:login-failures:user:${username.toLowerCase()}`, limit: max }];
    if (ip) keys.push({ key: `${prefix}:login-failures:ip:${ip}`, limit: max * IP_ALLOWANCE_FACTOR });
    return keys;
  }

  async assertAllowed(username: string, ip: string | null): Promise<void> {
    try {
      for (const { key, limit } of this.keys(username, ip)) {
        const [count, ttl] = await Promise.all([this.redis.redis.get(key), this.redis.redis.ttl(key)]);
        if (Number(count ?? 0) >= limit) {
          const wait = Math.max(ttl, 1);
          throw new AppError(
            ErrorCode.TooManyAttempts,
            `Too many failed sign-ins. Wait ${Math.ceil(wait / 60)} minute(s) and try again, or ask an admin to reset your password.`,
            HttpStatus.TOO_MANY_REQUESTS,
            { 'Retry-After': String(wait) },
          );
        }
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      this.logger.warn(`Login limiter skipped, Redis unavailable: ${(error as Error).message}`);
    }
  }

  async recordFailure(username: string, ip: string | null): Promise<void> {
    const window = this.config.auth.loginWindowSeconds;
    try {
      const pipeline = this.redis.redis.multi();
      for (const { key } of this.keys(username, ip)) {
        pipeline.incr(key);
        pipeline.expire(key, window, 'NX');
      }
      await pipeline.exec();
    } catch (error) {
      this.logger.warn(`Login failure not counted, Redis unavailable: ${(error as Error).message}`);
    }
  }

  async reset(username: string): Promise<void> {
    await this.redis.redis.del(this.keys(username, null)[0].key).catch(() => undefined);
  }
}
