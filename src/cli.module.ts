import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { UsersModule } from './modules/users/users.module';

/** What the command-line tasks need: the database and user management, nothing that listens or queues. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot({ runMigrations: false }), UsersModule],
    };
  }
}
