import { ApiProperty } from '@nestjs/swagger';
import { CAPTION_LANGUAGES, CaptionLanguage, CUE_WARNING_KINDS, CueWarning, CueWarningKind } from '../caption.types';
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
  @ApiProperty({ example: 4, description: '1-based.' })
  cue: number;

  @ApiProperty({ enum: CUE_WARNING_KINDS, description: 'lines, long-line (graphemes), too-fast (graphemes a second), too-short, too-long (ms), gap (ms).' })
  kind: CueWarningKind;

  @ApiProperty({ example: 21.5, description: 'What was measured, in the unit of its kind.' })
  value: number;

  @ApiProperty({ example: 17, description: 'The guidance it goes past, in the same unit.' })
  limit: number;

  @ApiProperty({ example: 'Cue 4 (0:12.0) asks for 21.5 characters per second; over 17 is too fast to read.' })
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
