import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { LoggingModule } from './common/logging/logging.module';
import { DatabaseModule } from './database/database.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { CaptionsModule } from './modules/captions/captions.module';
import { HealthModule } from './modules/health/health.module';
import { PlacesModule } from './modules/places/places.module';
import { QueuesModule } from './modules/queues/queues.module';
import { StorageModule } from './modules/storage/storage.module';
import { SystemModule } from './modules/system/system.module';
import { TestimoniesModule } from './modules/testimonies/testimonies.module';
import { ConsentModule } from './modules/consent/consent.module';
import { ReviewModule } from './modules/review/review.module';
import { PublishingModule } from './modules/publishing/publishing.module';
import { ReachModule } from './modules/reach/reach.module';
import { UploadsModule } from './modules/uploads/uploads.module';
import { UsersModule } from './modules/users/users.module';

/** The HTTP API process. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule.forRoot({ runMigrations: true }),
        QueuesModule.forRoot('api'),
        StorageModule,
        AuthModule,
        UsersModule,
        PlacesModule,
        TestimoniesModule,
        ConsentModule,
        ReviewModule,
        PublishingModule,
        ReachModule,
        UploadsModule,
        CaptionsModule,
        AuditModule,
        SystemModule.api(),
        HealthModule,
      ],
    };
  }
}
