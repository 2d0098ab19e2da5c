import { ApiProperty } from '@nestjs/swagger';
import { JobRecovery } from '../job-recovery.entity';

export class JobRecoveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['requeued', 'settled'], description: 'requeued: the job was lost and added again; settled: it had failed but its row still said running.' })
  action: 'requeued' | 'settled';
  @ApiProperty() queue: string;
  @ApiProperty() jobName: string;
  @ApiProperty() jobId: string;
  @ApiProperty({ nullable: true, type: String }) testimonyId: string | null;
  @ApiProperty() recoveredAt: string;

  static from(r: JobRecovery): JobRecoveryDto {
    return { ...r, recoveredAt: r.recoveredAt.toISOString() };
  }
}

export class JobRecoveryPageDto {
  @ApiProperty({ description: 'Jobs added again, in all.' }) requeued: number;
  @ApiProperty({ description: 'Rows settled after their job had failed, in all.' }) settled: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastRecoveredAt: string | null;
  @ApiProperty({ type: [JobRecoveryDto] }) items: JobRecoveryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
