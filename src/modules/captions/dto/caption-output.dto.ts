import { ApiProperty } from '@nestjs/swagger';
import { CAPTION_LANGUAGES, CaptionLanguage, CueWarning } from '../caption.types';
import { CaptionSource } from '../caption-track.entity';
import { CueDto } from './caption-input.dto';

const SOURCES: CaptionSource[] = ['uploaded', 'machine', 'edited'];

export class CaptionTrackSummaryDto {
  @ApiProperty({ enum: CAPTION_LANGUAGES })
  language: CaptionLanguage;

  @ApiProperty({ enum: SOURCES })
  source: CaptionSource;

  @ApiProperty({ example: 3 })
  version: number;

  @ApiProperty({ example: 42 })
  cueCount: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, nullable: true, description: 'Display name of who saved this version.' })
  updatedBy: string | null;
}

export class CueWarningDto implements CueWarning {
  @ApiProperty({ example: 4 })
  cue: number;

  @ApiProperty({ example: 'Reads faster than 20 characters a second.' })
  message: string;
}

export class CaptionTrackDto {
  @ApiProperty({ enum: CAPTION_LANGUAGES })
  language: CaptionLanguage;

  @ApiProperty({ enum: SOURCES })
  source: CaptionSource;

  @ApiProperty({ example: 3 })
  version: number;

  @ApiProperty({ type: [CueDto] })
  cues: CueDto[];

  @ApiProperty({ type: [CueWarningDto], description: 'Reading guidance; never a refusal.' })
  warnings: CueWarningDto[];

  @ApiProperty({ description: 'A short-lived link to the WebVTT file for the review player.' })
  vttUrl: string;
}

export class CaptionVersionDto {
  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ enum: SOURCES })
  source: CaptionSource;

  @ApiProperty({ example: 42 })
  cueCount: number;

  @ApiProperty({ format: 'date-time' })
  changedAt: string;

  @ApiProperty({ type: String, nullable: true })
  changedBy: string | null;
}
