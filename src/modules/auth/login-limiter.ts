import { HttpStatus, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RedisClient, RedisModule } from '../redis/redis.module';

/** Shared IPs (a whole village behind one mobile carrier NAT) get more room than a single username. */
const IP_ALLOWANCE_FACTOR = 5;

/**
 * Checks every counter and, only if all have room, counts the attempt in all of them, in one step:
 * separate check and count let 24 guesses sent at once all pass a limit of 8.
 * KEYS: the counters. ARGV[1]: the window in seconds; ARGV[i + 1]: the limit of KEYS[i].
 * Answers 0 when there was room, or the seconds until the fullest counter empties.
 */
const TAKE_ATTEMPT = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    return math.max(redis.call('TTL', key), 1)
  end
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[1], 'NX')
end
return 0
`;

/** Gives an attempt back: forgets the username's count, and takes one off the IP's (never below zero). */
const GIVE_BACK = `
redis.call('DEL', KEYS[1])
if KEYS[2] and redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
return 0
`;

/** What a caller that took an attempt does once it knows whether the password was right. */
export interface Attempt {
  /** The password was right: the attempt stops counting, and the username's failures are forgiven. */
  succeeded(): Promise<void>;
}

/**
 * Counts password attempts per username and per client IP in Redis, so the limit holds across API
 * instances. Every attempt is counted before the password is checked, and given back when it was
 * right. When Redis is down it lets attempts through: locking everyone out is worse than a brief gap
 * in brute-force protection, and argon2 still makes each guess slow.
 */
@Injectable()
export class LoginLimiter {
  private readonly logger = new Logger(LoginLimiter.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisClient,
  ) {}

  private userKey(username: string): string {
    return `${this.config.queues.prefix}:login-failures:user:${username.trim().toLowerCase()}`;
  }

  private ipKey(ip: string): string {
    return `${this.config.queues.prefix}:login-failures:ip:${ip}`;
  }

  /** Takes one attempt for this username and IP, or refuses with 429 when either has none left. */
  async take(username: string, ip: string | null): Promise<Attempt> {
    const max = this.config.auth.loginMaxFailures;
    const keys = [this.userKey(username), ...(ip ? [this.ipKey(ip)] : [])];
    const limits = [max, max * IP_ALLOWANCE_FACTOR].slice(0, keys.length);
    let wait: number;
    try {
      wait = Number(await this.redis.redis.eval(TAKE_ATTEMPT, keys.length, ...keys, this.config.auth.loginWindowSeconds, ...limits));
    } catch (error) {
      this.logger.warn(`Login limiter skipped, Redis unavailable: ${(error as Error).message}`);
      return { succeeded: async () => undefined };
    }
    if (wait > 0) {
      throw new AppError(
        ErrorCode.TooManyAttempts,
        `Too many failed sign-ins. Wait ${Math.ceil(wait / 60)} minute(s) and try again, or ask an admin to reset your password.`,
        HttpStatus.TOO_MANY_REQUESTS,
        { 'Retry-After': String(wait) },
      );
    }
    return {
      succeeded: async () => {
        await this.redis.redis.eval(GIVE_BACK, keys.length, ...keys).catch(() => undefined);
      },
    };
  }

  /** An admin's password reset: the person gets a fresh allowance with their new password. */
  async clear(username: string): Promise<void> {
    await this.redis.redis.del(this.userKey(username)).catch(() => undefined);
  }
}

/** Its own module, so both sign-in (auth) and an admin's password reset (users) can use it. */
@Module({ imports: [RedisModule], providers: [LoginLimiter], exports: [LoginLimiter] })
export class LoginLimiterModule {}
