import { redisConnectionOptions } from './redis-connection';

describe('redisConnectionOptions', () => {
  it('reads host, port, credentials, database and TLS from the URL', () => {
    expect(redisConnectionOptions('rediss://user:p%40ss@redis.example:6380/4', 'api')).toMatchObject({
      host: 'redis.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 4,
      tls: {},
    });
  });

  it('lets workers retry forever, as BullMQ requires, but makes the API fail fast while Redis is down', () => {
    expect(redisConnectionOptions('redis://127.0.0.1', 'worker')).toMatchObject({ maxRetriesPerRequest: null, port: 6379, db: 0 });
    expect(redisConnectionOptions('redis://127.0.0.1', 'api')).toMatchObject({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
  });
});
