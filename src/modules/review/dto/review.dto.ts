import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import { cleanPlainText } from '../../../common/text/plain-text';
import { TestimonyStatus } from '../../testimonies/testimony-status';
import { DecisionKind } from '../decision.entity';

const clean = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? cleanPlainText(value) : value);

export class DecisionInputDto {
  @ApiPropertyOptional({ maxLength: 4000, description: 'Required when asking for changes or rejecting: the educator reads it.' })
  @IsOptional()
  @Transform(clean)
  @IsString()
  @MaxLength(4000)
  note?: string;

  @ApiPropertyOptional({ enum: TestimonyStatus, enumName: 'TestimonyStatus', description: 'The state the editor saw; if it changed meanwhile the answer is 409 STATE_CHANGED.' })
  @IsOptional()
  @IsIn(Object.values(TestimonyStatus))
  expectedStatus?: TestimonyStatus;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'On approval: the consent records whose disguise (blurred face, altered voice, name withheld, not shown) the editor checked in the version approved.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('4', { each: true })
  confirmDisguise?: string[];
}

export class CommentInputDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @Transform(clean)
  @IsString()
  @MinLength(1, { message: 'Write the comment before sending it.' })
  @MaxLength(4000)
  body: string;

  @ApiPropertyOptional({ minimum: 0, description: 'On a video: the moment the comment is about, in milliseconds.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  timecodeMs?: number;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DecisionKind, enumName: 'DecisionKind' }) kind: DecisionKind;
  @ApiProperty() note: string;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty() createdAt: string;
}

export class CommentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: Number }) timecodeMs: number | null;
  @ApiProperty({ nullable: true, type: String }) author: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['educator', 'editor', 'lead', 'admin'] }) authorRole: string | null;
  @ApiProperty() mine: boolean;
  @ApiProperty() createdAt: string;
}

export class HistoryEntryDto {
  @ApiProperty({ description: 'The audit action, e.g. testimony.approved or consent.withdrawn.' }) action: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who did it; null for the system (processing, sweeps).' }) actor: string | null;
  @ApiProperty() at: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
}
