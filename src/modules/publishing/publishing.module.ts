import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { TestimonyLifecycleModule } from '../testimonies/testimony-lifecycle.module';
import { GraphModule } from './graph/graph.module';
import { PageConnectionService } from './page-connection.service';
import { PublicationApprovalExitEffect } from './publication-approval-exit.effect';
import { PublicationWithdrawalEffect } from './publication-withdrawal.effect';
import { PublicationsController } from './publications.controller';
import { PublicationsService } from './publications.service';

/** API side of publishing: the Page connection, scheduling, and what a withdrawal or a lost approval does to publications. */
@Module({
  imports: [GraphModule, ConsentModule, AuditModule, TestimoniesModule, TestimonyLifecycleModule],
  controllers: [PublicationsController],
  providers: [PageConnectionService, PublicationsService, PublicationWithdrawalEffect, PublicationApprovalExitEffect],
  exports: [PageConnectionService],
})
export class PublishingModule {}
