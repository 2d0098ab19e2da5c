import type { RedisOptions } from 'bullmq';

export type ProcessRole = 'api' | 'worker';

/**
 * Workers block on Redis and must retry forever (BullMQ requires maxRetriesPerRequest: null).
 * The API only adds jobs: there a command fails fast while Redis is down, so a request answers 503
 * instead of hanging until Redis returns.
 */
export function redisConnectionOptions(url: string, role: ProcessRole): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5000,
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
    ...(role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  };
}
