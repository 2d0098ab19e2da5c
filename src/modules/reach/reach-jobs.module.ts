import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { GraphModule } from '../publishing/graph/graph.module';
import { PageConnectionService } from '../publishing/page-connection.service';
import { InsightsSyncHandler } from './insights/insights-sync.handler';
import { InsightsSyncService } from './insights/insights-sync.service';
import { InsightsRepository } from './insights/insights.repository';

/** Worker side of reach: the scheduled insights sync (run by the publishing queue's processor). */
@Module({
  imports: [GraphModule, AuditModule],
  providers: [PageConnectionService, InsightsRepository, InsightsSyncService, InsightsSyncHandler],
})
export class ReachJobsModule {}
