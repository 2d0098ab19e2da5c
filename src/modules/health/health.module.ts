import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MediaToolsModule } from '../media/media-tools.module';
import { RedisModule } from '../redis/redis.module';
import { StorageModule } from '../storage/storage.module';
import { DependencyIndicators } from './dependency.indicators';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), RedisModule, StorageModule, MediaToolsModule],
  controllers: [HealthController],
  providers: [DependencyIndicators],
})
export class HealthModule {}
