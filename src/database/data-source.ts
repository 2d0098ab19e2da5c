import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(config: AppConfig, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // Each migration in its own transaction, so a failure leaves the schema at the last good step.
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Each publishing run holds a connection for its lock (see whileLocked) beside those its queries use.
    extra: { max: 10 + config.queues.workerConcurrency, connectionTimeoutMillis: 5000, application_name: 'migra-media' },
    ...overrides,
  } as DataSourceOptions;
}

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}
