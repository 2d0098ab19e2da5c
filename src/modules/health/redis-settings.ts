/** What /ready says about the Redis settings the queues depend on. Never a reason to fail readiness. */
export interface RedisSettingsReport {
  maxmemoryPolicy: string | null;
  persistence: 'aof' | 'snapshots' | 'none' | null;
  /** Present when a setting puts queued work at risk, or when Redis would not show its settings. */
  warning?: string;
}

/**
 * Reads `CONFIG GET` answers (null when Redis refuses CONFIG, as managed services such as ElastiCache
 * do). An evicting policy silently deletes queued jobs when memory runs short; without persistence a
 * restart loses them all. The worker's reconciler recovers such work from PostgreSQL, but late.
 */
export function describeRedisSettings(settings: { maxmemoryPolicy: string; appendonly: string; save: string } | null): RedisSettingsReport {
  if (!settings) {
    return {
      maxmemoryPolicy: null,
      persistence: null,
      warning: 'Redis does not allow CONFIG GET, so its settings are unknown: make sure maxmemory-policy is noeviction and persistence (AOF) is on.',
    };
  }
  const persistence = settings.appendonly === 'yes' ? 'aof' : settings.save.trim() ? 'snapshots' : 'none';
  const problems = [
    ...(settings.maxmemoryPolicy === 'noeviction'
      ? []
      : [`maxmemory-policy is ${settings.maxmemoryPolicy}, so Redis deletes queued jobs when memory runs short: set it to noeviction`]),
    ...(persistence === 'none' ? ['Redis keeps nothing on disk, so a restart loses every queued job: turn on appendonly'] : []),
  ];
  return { maxmemoryPolicy: settings.maxmemoryPolicy, persistence, ...(problems.length > 0 ? { warning: `${problems.join('; ')}.` } : {}) };
}
