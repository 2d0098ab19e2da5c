import { describeRedisSettings } from './redis-settings';

describe('describeRedisSettings', () => {
  it('has nothing to say about noeviction with AOF on', () => {
    expect(describeRedisSettings({ maxmemoryPolicy: 'noeviction', appendonly: 'yes', save: '' })).toEqual({ maxmemoryPolicy: 'noeviction', persistence: 'aof' });
  });

  it('warns when Redis may evict keys, and says what to set', () => {
    const report = describeRedisSettings({ maxmemoryPolicy: 'allkeys-lru', appendonly: 'yes', save: '' });
    expect(report.warning).toMatch(/maxmemory-policy is allkeys-lru.*noeviction/);
  });

  it('warns when nothing is kept on disk, but accepts snapshots as persistence', () => {
    expect(describeRedisSettings({ maxmemoryPolicy: 'noeviction', appendonly: 'no', save: '' }).warning).toMatch(/appendonly/);
    expect(describeRedisSettings({ maxmemoryPolicy: 'noeviction', appendonly: 'no', save: '3600 1' })).toEqual({ maxmemoryPolicy: 'noeviction', persistence: 'snapshots' });
  });

  it('says the settings are unknown when Redis refuses CONFIG', () => {
    expect(describeRedisSettings(null)).toMatchObject({ maxmemoryPolicy: null, persistence: null, warning: expect.stringMatching(/CONFIG GET.*noeviction/) });
  });
});
