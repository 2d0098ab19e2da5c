import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ConsentChannel, ConsentMethod, ConsentRecord, Identifiability } from '../consent-record.entity';

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/** One person's consent as the educator or editor records it. */
export class ConsentInputDto {
  @ApiProperty({ description: 'A pseudonym or initials; the real name is not needed.', maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  personLabel: string;

  @ApiProperty()
  @IsBoolean()
  isMinor: boolean;

  @ApiPropertyOptional({ description: 'Required for a minor.', maxLength: 200 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  guardianName?: string;

  @ApiPropertyOptional({ description: 'Required for a minor: mother, uncle…', maxLength: 100 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  guardianRelationship?: string;

  @ApiPropertyOptional({ description: "A minor's own agreement; required (true) for a minor." })
  @IsOptional()
  @IsBoolean()
  childAssent?: boolean;

  @ApiProperty({ enum: ConsentMethod, enumName: 'ConsentMethod' })
  @IsIn(Object.values(ConsentMethod))
  method: ConsentMethod;

  @ApiProperty({ maxLength: 200, description: 'Who explained the consent to the person.' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  explainedBy: string;

  @ApiProperty({ maxLength: 40, description: 'The language it was explained in (Khmer, Thai…).' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  explanationLanguage: string;

  @ApiProperty({ enum: ConsentChannel, enumName: 'ConsentChannel', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(Object.values(ConsentChannel), { each: true })
  channels: ConsentChannel[];

  @ApiProperty({ enum: Identifiability, enumName: 'Identifiability' })
  @IsIn(Object.values(Identifiability))
  identifiability: Identifiability;

  @ApiProperty({ example: '2026-11-20', description: 'The day consent was given.' })
  @IsISO8601({ strict: true })
  givenOn: string;

  @ApiPropertyOptional({ example: '2031-11-20', description: 'Until when it holds; the configured default when absent, never past the maximum.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validUntil?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(2000)
  restrictions?: string;

  @ApiProperty({ description: 'Whether the person was given information on where to find help.' })
  @IsBoolean()
  referralGiven: boolean;
}

export class WithdrawalInputDto {
  @ApiProperty({ example: '2026-11-29', description: 'The day the person said so.' })
  @IsISO8601({ strict: true })
  receivedOn: string;

  @ApiProperty({ enum: ['in_person', 'phone', 'message', 'through_educator', 'letter', 'other'] })
  @IsIn(['in_person', 'phone', 'message', 'through_educator', 'letter', 'other'])
  receivedVia: 'in_person' | 'phone' | 'message' | 'through_educator' | 'letter' | 'other';

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class KeepMediaDto {
  @ApiProperty({ maxLength: 2000, description: 'Why the media is kept for the record (a legal case, a complaint).' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export type ConsentState = 'active' | 'expired' | 'withdrawn';

export class ConsentRecordDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() personLabel: string;
  @ApiProperty() isMinor: boolean;
  @ApiProperty({ nullable: true, type: String }) guardianName: string | null;
  @ApiProperty({ nullable: true, type: String }) guardianRelationship: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) childAssent: boolean | null;
  @ApiProperty({ enum: ConsentMethod, enumName: 'ConsentMethod' }) method: ConsentMethod;
  @ApiProperty() explainedBy: string;
  @ApiProperty() explanationLanguage: string;
  @ApiProperty({ enum: ConsentChannel, enumName: 'ConsentChannel', isArray: true }) channels: ConsentChannel[];
  @ApiProperty({ enum: Identifiability, enumName: 'Identifiability' }) identifiability: Identifiability;
  @ApiProperty() givenOn: string;
  @ApiProperty() validUntil: string;
  @ApiProperty() restrictions: string;
  @ApiProperty() referralGiven: boolean;
  @ApiProperty({ enum: ['active', 'expired', 'withdrawn'] }) state: ConsentState;
  @ApiProperty({ nullable: true, type: String }) withdrawnAt: string | null;
  @ApiProperty({ description: 'Whether a photo of the form or a recording is on file.' }) hasEvidence: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'The evidence type (image/jpeg, audio/mp4, video/mp4).' }) evidenceMime: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty() createdAt: string;

  static from(r: ConsentRecord, today: string): ConsentRecordDto {
    return {
      id: r.id,
      personLabel: r.personLabel,
      isMinor: r.isMinor,
      guardianName: r.guardianName,
      guardianRelationship: r.guardianRelationship,
      childAssent: r.childAssent,
      method: r.method,
      explainedBy: r.explainedBy,
      explanationLanguage: r.explanationLanguage,
      channels: r.channels,
      identifiability: r.identifiability,
      givenOn: r.givenOn,
      validUntil: r.validUntil,
      restrictions: r.restrictions,
      referralGiven: r.referralGiven,
      state: consentState(r, today),
      withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
      hasEvidence: r.evidenceKey !== null,
      evidenceMime: r.evidenceMime,
      recordedBy: r.recordedBy?.displayName ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export function consentState(r: Pick<ConsentRecord, 'withdrawnAt' | 'validUntil'>, today: string): ConsentState {
  if (r.withdrawnAt) return 'withdrawn';
  return r.validUntil < today ? 'expired' : 'active';
}

export class EvidenceLinkDto {
  @ApiProperty() url: string;
  @ApiProperty() urlExpiresAt: string;
  @ApiProperty() mimeType: string;
}

export class WithdrawalStepDto {
  @ApiProperty({ enum: ['left_review', 'links_stopped', 'schedules_cancelled', 'page_takedown', 'media_deleted'] }) step: string;
  @ApiProperty({ enum: ['pending', 'done', 'not_needed', 'skipped'] }) state: string;
  @ApiProperty({ nullable: true, type: String }) doneAt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
}

export class WithdrawalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() receivedOn: string;
  @ApiProperty() receivedVia: string;
  @ApiProperty() note: string;
  @ApiProperty({ nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() mediaPurgeDueAt: string;
  @ApiProperty({ nullable: true, type: String }) mediaKeptReason: string | null;
  @ApiProperty({ description: 'True once every step is done (or not needed): the item is down everywhere.' }) complete: boolean;
  @ApiProperty({ type: [WithdrawalStepDto] }) steps: WithdrawalStepDto[];
}
