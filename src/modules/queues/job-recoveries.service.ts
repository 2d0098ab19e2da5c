import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JobRecovery, RecoveryAction } from './job-recovery.entity';

export interface RecoveryTotals {
  requeued: number;
  settled: number;
  lastRecoveredAt: Date | null;
}

/** The record of what the reconciler recovered: written by the worker, read by admins. */
@Injectable()
export class JobRecoveriesService {
  constructor(@InjectRepository(JobRecovery) private readonly recoveries: Repository<JobRecovery>) {}

  async record(rows: Pick<JobRecovery, 'action' | 'queue' | 'jobName' | 'jobId' | 'testimonyId'>[]): Promise<void> {
    if (rows.length > 0) await this.recoveries.insert(rows);
  }

  async totals(): Promise<RecoveryTotals> {
    const rows = await this.recoveries
      .createQueryBuilder('r')
      .select('r.action', 'action')
      .addSelect('COUNT(*)::int', 'count')
      .addSelect('MAX(r.recovered_at)', 'last')
      .groupBy('r.action')
      .getRawMany<{ action: RecoveryAction; count: number; last: Date }>();
    const count = (action: RecoveryAction) => rows.find((r) => r.action === action)?.count ?? 0;
    const last = rows.map((r) => r.last).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    return { requeued: count('requeued'), settled: count('settled'), lastRecoveredAt: last };
  }

  list(skip: number, take: number): Promise<[JobRecovery[], number]> {
    return this.recoveries.findAndCount({ order: { recoveredAt: 'DESC' }, skip, take });
  }
}
