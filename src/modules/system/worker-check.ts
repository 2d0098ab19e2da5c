import { ApiProperty } from '@nestjs/swagger';

export interface WorkerCheckPayload {
  requestedBy: string;
}

export class DependencyCheckDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() detail: string;
}

export class WorkerChecksDto {
  @ApiProperty({ type: DependencyCheckDto }) database: DependencyCheckDto;
  @ApiProperty({ type: DependencyCheckDto }) storage: DependencyCheckDto;
  @ApiProperty({ type: DependencyCheckDto }) ffmpeg: DependencyCheckDto;
  @ApiProperty({ type: DependencyCheckDto }) ffprobe: DependencyCheckDto;
}

/** What a worker reports about itself: proof that jobs run, and that the worker reaches what media jobs need. */
export class WorkerCheckResult {
  @ApiProperty() hostname: string;
  @ApiProperty() pid: number;
  @ApiProperty() checkedAt: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: WorkerChecksDto }) checks: WorkerChecksDto;
}
