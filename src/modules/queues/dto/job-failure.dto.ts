import { ApiProperty } from '@nestjs/swagger';
import { JobFailure } from '../job-failure.entity';

export class JobFailureDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() queue: string;
  @ApiProperty() jobName: string;
  @ApiProperty() jobId: string;
  @ApiProperty({ nullable: true, type: String }) testimonyId: string | null;
  @ApiProperty() attemptsMade: number;
  @ApiProperty({ description: 'No retry follows' }) final: boolean;
  @ApiProperty() reason: string;
  @ApiProperty() failedAt: string;

  static from(f: JobFailure): JobFailureDto {
    return { ...f, failedAt: f.failedAt.toISOString() };
  }
}

export class JobFailurePageDto {
  @ApiProperty({ type: [JobFailureDto] }) items: JobFailureDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
