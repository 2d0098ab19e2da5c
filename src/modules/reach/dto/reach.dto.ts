import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { GRANULARITIES, Granularity, REACH_DIMENSIONS, ReachDimension } from '../dashboard/reach-dimensions';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ReachQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day (Phnom Penh); the campaign start when absent.' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date such as 2026-01-01' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included; today when absent.' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date such as 2026-11-30' })
  to?: string;
}

export class BreakdownQueryDto extends ReachQueryDto {
  @ApiProperty({ enum: REACH_DIMENSIONS })
  @IsIn(REACH_DIMENSIONS)
  by: ReachDimension;

  @ApiPropertyOptional({ enum: GRANULARITIES, description: 'For by=period.' })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'The largest rows first (default 100); the CSV export has every row.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class TestimonyReachQueryDto extends ReachQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class WindowDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}

export class AwaitingVerificationDto {
  @ApiProperty() screenings: number;
  @ApiProperty({ description: 'Unique people in registers no lead has verified yet.' }) people: number;
}

export class OfflineProgressDto {
  @ApiProperty({ description: 'Verified unique people: the main figure toward the target.' }) uniquePeople: number;
  @ApiProperty() attendances: number;
  @ApiProperty() repeatAttendances: number;
  @ApiProperty() screenings: number;
  @ApiProperty({ description: 'People at verified open screenings that recorded a headcount only (not de-duplicated, not in uniquePeople).' }) openScreeningHeadcount: number;
  @ApiProperty({ type: AwaitingVerificationDto }) awaitingVerification: AwaitingVerificationDto;
  @ApiProperty() method: string;
  @ApiProperty() repeatsMethod: string;
}

export class OnlineProgressDto {
  @ApiProperty({ type: Number, nullable: true, description: "Meta's estimate of accounts, never people." }) estimateAccounts: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['page_28_days', 'single_post'] }) madeFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) readingAt: string | null;
  @ApiPropertyOptional({ enum: ['accounts'] }) unit?: 'accounts';
  @ApiPropertyOptional() method?: string;
}

export class RefusedMetricDto {
  @ApiProperty() subject: string;
  @ApiProperty() metric: string;
  @ApiProperty() code: number;
  @ApiProperty() message: string;
  @ApiProperty() lastSeenAt: string;
}

export class ProgressDto {
  @ApiProperty() window: WindowDto;
  @ApiProperty() target: number;
  @ApiProperty() offline: OfflineProgressDto;
  @ApiProperty() online: OnlineProgressDto;
  @ApiProperty({ nullable: true, type: Object }) page: { state: string; stateReason: string | null; lastSyncedAt: string | null } | null;
  @ApiProperty({ type: [RefusedMetricDto], description: 'Metrics the Page refuses: the figures built on them are missing.' }) refusedMetrics: RefusedMetricDto[];
}

export class BreakdownRowDto {
  @ApiProperty() key: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for a withdrawn item: its figures stay, its title does not.' }) label: string | null;
  @ApiProperty() screenings: number;
  @ApiProperty({ description: 'Unique within this row; rows are not added up (one person may be in several).' }) offlineUniquePeople: number;
  @ApiProperty() attendances: number;
  @ApiProperty() openScreeningHeadcount: number;
  @ApiProperty() posts: number;
  @ApiProperty({ description: 'Views are counts of views, which may be added.' }) onlineViews: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The largest single unique figure in this row (accounts).' }) onlineLargestReachAccounts: number | null;
}

export class OfflineProfileRowDto {
  @ApiProperty() sex: string;
  @ApiProperty() ageBand: string;
  @ApiProperty() uniquePeople: number;
  @ApiProperty() attendances: number;
}

export class TestimonyReachDto {
  @ApiProperty() testimonyId: string;
  @ApiProperty() withdrawn: boolean;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: String, nullable: true }) thumbnailUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) placeholder: string | null;
  @ApiProperty() kind: string;
  @ApiProperty() language: string;
  @ApiProperty({ type: Number, nullable: true }) onlineReachAccounts: number | null;
  @ApiProperty() onlineViews: number;
  @ApiProperty() screenings: number;
  @ApiProperty() offlineUniquePeople: number;
  @ApiProperty() openScreeningHeadcount: number;
}

export class ExportQueryDto extends ReachQueryDto {
  @ApiPropertyOptional({ enum: REACH_DIMENSIONS, description: 'For the breakdown table (default commune).' })
  @IsOptional()
  @IsIn(REACH_DIMENSIONS)
  by?: ReachDimension;

  @ApiPropertyOptional({ enum: GRANULARITIES })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;
}
