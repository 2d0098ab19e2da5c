import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AuditModule } from './modules/audit/audit.module';
import { GraphModule } from './modules/publishing/graph/graph.module';
import { PageConnectionService } from './modules/publishing/page-connection.service';
import { UsersModule } from './modules/users/users.module';

/**
 * What the command-line tasks need: the database, user management and the Page connection, nothing that
 * listens or queues.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot({ runMigrations: false }), UsersModule, GraphModule, AuditModule],
      providers: [PageConnectionService],
    };
  }
}
