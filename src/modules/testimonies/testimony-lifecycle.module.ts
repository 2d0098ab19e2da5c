import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApprovalExits } from './approval-exits';
import { TestimonyLifecycle } from './testimony-lifecycle.service';

/** The owner of every testimony's status, for the API and the worker alike. */
@Module({
  imports: [AuditModule],
  providers: [TestimonyLifecycle, ApprovalExits],
  exports: [TestimonyLifecycle, ApprovalExits],
})
export class TestimonyLifecycleModule {}
