import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { CueDto } from '../dto/caption-input.dto';
import { CAPTION_TASK_KINDS, CaptionTaskKind, CaptionTaskStatus, TranscriptOutcome } from './caption-task.entity';

const STATUSES: CaptionTaskStatus[] = ['queued', 'running', 'done', 'failed'];
const OUTCOMES: TranscriptOutcome[] = ['applied', 'kept-edits', 'draft-only'];

export class CaptionedVideoDto {
  @ApiProperty({ description: 'A short-lived link to the MP4 with the captions drawn in.' })
  url: string;

  @ApiProperty({ format: 'date-time' })
  urlExpiresAt: string;

  @ApiProperty({ example: 18_400_000 })
  byteSize: number;

  @ApiProperty({ example: 4, description: 'The caption version drawn into this video.' })
  trackVersion: number;

  @ApiProperty({ description: 'True when the captions changed after this video was rendered: render it again before publishing.' })
  stale: boolean;
}

export class CaptionTaskDto {
  @ApiProperty({ enum: CAPTION_TASK_KINDS })
  kind: CaptionTaskKind;

  @ApiProperty({ enum: STATUSES })
  status: CaptionTaskStatus;

  @ApiProperty({ example: 40, description: 'Percent, for a progress bar.' })
  progress: number;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty({ type: String, nullable: true })
  requestedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed, and what to do (English, for staff; the web app words errorCode).' })
  error: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The failure in the error model (NO_SPEECH_ENGINE, JOB_GAVE_UP…).' })
  errorCode: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  errorFigures: Record<string, unknown> | null;

  @ApiProperty({
    type: [CueDto],
    nullable: true,
    description: 'speech-segments: empty cues where people speak, to fill in. transcript: the machine draft.',
  })
  cues: CueDto[] | null;

  @ApiProperty({
    enum: OUTCOMES,
    nullable: true,
    description: 'transcript only: applied (it became the captions), kept-edits (a person’s captions were left alone), draft-only (it has problems to fix first).',
  })
  outcome: TranscriptOutcome | null;

  @ApiProperty({ type: Number, nullable: true, description: 'burn-in: the caption version being (or that was) drawn in.' })
  trackVersion: number | null;

  @ApiProperty({ type: CaptionedVideoDto, nullable: true, description: 'burn-in, once done.' })
  video: CaptionedVideoDto | null;
}

export class CaptionPreviewQueryDto {
  @ApiProperty({ example: 12_500, description: 'Where in the video, in milliseconds.' })
  @Type(() => Number)
  @IsInt({ message: 'atMs must be a whole number of milliseconds' })
  @Min(0)
  @Max(24 * 3600 * 1000)
  atMs: number;
}
