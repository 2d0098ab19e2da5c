import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Global on purpose: configuration is the one dependency every module has, and it is read-only.
 * `forRoot(config)` lets tests and the CLI pass a config they built themselves.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
