import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { StorageModule } from '../storage/storage.module';
import { WithdrawalMediaPurgeHandler } from './withdrawal-media-purge.handler';

/** Worker side of withdrawals: the hourly purge of media whose grace period is over. */
@Module({
  imports: [StorageModule, AuditModule],
  providers: [WithdrawalMediaPurgeHandler],
})
export class WithdrawalJobsModule {}
