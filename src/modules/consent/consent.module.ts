import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { MediaModule } from '../media/media.module';
import { StorageModule } from '../storage/storage.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { TestimonyLifecycleModule } from '../testimonies/testimony-lifecycle.module';
import { ConsentController } from './consent.controller';
import { ConsentEvidenceStore } from './consent-evidence.store';
import { ConsentRecord } from './consent-record.entity';
import { ConsentService } from './consent.service';
import { Withdrawal, WithdrawalStep } from './withdrawal.entity';
import { WithdrawalEffects } from './withdrawal-effects';
import { WithdrawalsService } from './withdrawals.service';

/** Consent records of the people shown, their evidence, and withdrawals carried out step by step. */
@Module({
  imports: [TypeOrmModule.forFeature([ConsentRecord, Withdrawal, WithdrawalStep]), TestimoniesModule, TestimonyLifecycleModule, AuditModule, StorageModule, MediaModule],
  controllers: [ConsentController],
  providers: [ConsentService, WithdrawalsService, ConsentEvidenceStore, WithdrawalEffects],
  exports: [ConsentService, WithdrawalsService, WithdrawalEffects],
})
export class ConsentModule {}
