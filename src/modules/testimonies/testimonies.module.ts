import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { PlacesModule } from '../places/places.module';
import { StorageModule } from '../storage/storage.module';
import { Asset } from './asset.entity';
import { TestimoniesController } from './testimonies.controller';
import { TestimoniesService } from './testimonies.service';
import { TestimonyRenditions } from './testimony-renditions';
import { Decision } from '../review/decision.entity';
import { TestimonyLifecycleModule } from './testimony-lifecycle.module';
import { Testimony } from './testimony.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Testimony, Asset, Decision]), StorageModule, AuditModule, TestimonyLifecycleModule, PlacesModule],
  controllers: [TestimoniesController],
  providers: [TestimoniesService, TestimonyRenditions],
  exports: [TestimoniesService, TestimonyRenditions],
})
export class TestimoniesModule {}
