import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PublishingModule } from '../publishing/publishing.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { ReachDashboardService } from './dashboard/reach-dashboard.service';
import { ReachExportService } from './dashboard/reach-export.service';
import { ReachController } from './reach.controller';
import { ScreeningsController } from './screenings/screenings.controller';
import { ScreeningsService } from './screenings/screenings.service';

/** API side of reach: screenings and their verification, the leads' dashboard and its exports. */
@Module({
  imports: [AuditModule, PublishingModule, TestimoniesModule],
  controllers: [ScreeningsController, ReachController],
  providers: [ScreeningsService, ReachDashboardService, ReachExportService],
})
export class ReachModule {}
