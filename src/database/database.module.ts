import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source';

@Module({})
export class DatabaseModule {
  /** Only the API runs migrations at start-up (when enabled); workers and the CLI never race it. */
  static forRoot({ runMigrations }: { runMigrations: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, { migrationsRun: runMigrations && config.database.migrateOnStart }),
            retryAttempts: config.database.connectRetries,
            retryDelay: 3000,
          }),
        }),
      ],
    };
  }
}
