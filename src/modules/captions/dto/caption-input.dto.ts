import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { CaptionFormat, Cue } from '../caption.types';

export class CueDto implements Cue {
  @ApiProperty({ example: 1200, description: 'Whole milliseconds from the start of the video.' })
  @IsInt({ message: 'startMs must be a whole number of milliseconds' })
  @Min(0)
  startMs: number;

  @ApiProperty({ example: 3400 })
  @IsInt({ message: 'endMs must be a whole number of milliseconds' })
  @Min(0)
  endMs: number;

  @ApiProperty({ example: 'ខ្ញុំបានធ្វើការនៅថៃ', description: "Plain text, lines separated by '\\n'. Markup is neutralised." })
  @IsString()
  text: string;
}

export class ReplaceCaptionsDto {
  @ApiProperty({ type: [CueDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CueDto)
  cues: CueDto[];

  @ApiPropertyOptional({ example: 3, description: 'The version the change was made on; a newer one on the server answers 409.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  baseVersion?: number;
}

export class ChangeCueDto {
  @ApiPropertyOptional({ example: 1200 })
  @IsOptional()
  @IsInt({ message: 'startMs must be a whole number of milliseconds' })
  @Min(0)
  startMs?: number;

  @ApiPropertyOptional({ example: 3400 })
  @IsOptional()
  @IsInt({ message: 'endMs must be a whole number of milliseconds' })
  @Min(0)
  endMs?: number;

  @ApiPropertyOptional({ example: 'ខ្ញុំបានធ្វើការនៅថៃ' })
  @IsOptional()
  @IsString()
  text?: string;

  @ApiPropertyOptional({ example: 3, description: 'The version the change was made on; a newer one on the server answers 409.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  baseVersion?: number;
}

export const CAPTION_FORMATS: readonly CaptionFormat[] = ['srt', 'vtt', 'ass'];

export class CaptionExportQueryDto {
  @ApiProperty({ enum: CAPTION_FORMATS, description: 'srt for Facebook, vtt for browsers, ass for burning into the video.' })
  @IsIn(CAPTION_FORMATS, { message: `format must be one of: ${CAPTION_FORMATS.join(', ')}` })
  format: CaptionFormat;
}

/** The multipart form of an import, for the OpenAPI document. */
export class CaptionImportDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'An .srt or .vtt file (UTF-8 or UTF-16).' })
  file: unknown;
}
