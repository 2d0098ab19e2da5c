import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { cleanPlainText } from '../../../common/text/plain-text';
import { AGE_BANDS, AgeBand, ATTENDEE_SEXES, AttendeeSex, Screening } from '../screenings/screening.entity';

const clean = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? cleanPlainText(value) : value);

export class AttendeeDto {
  @ApiProperty({ description: 'Hex SHA-256 made in the app from name, sex, birth year and village; never a name.', example: 'a3f1…(64 hex)' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'personKey must be the 64-character hex key the app makes; names are never sent.' })
  personKey: string;

  @ApiProperty({ enum: ATTENDEE_SEXES })
  @IsIn(ATTENDEE_SEXES)
  sex: AttendeeSex;

  @ApiProperty({ enum: AGE_BANDS })
  @IsIn(AGE_BANDS)
  ageBand: AgeBand;
}

export class ScreeningInputDto {
  @ApiProperty({ example: '2026-11-28', description: 'The day in Phnom Penh.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'heldOn must be a date such as 2026-11-28.' })
  heldOn: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  communeId: string;

  @ApiProperty({ maxLength: 200, description: 'The self-help group or the place of an open screening.' })
  @Transform(clean)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  groupName: string;

  @ApiProperty({ type: [String], description: 'The published testimonies shown.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('4', { each: true })
  testimonyIds: string[];

  @ApiPropertyOptional({ description: 'A large open screening: a headcount instead of a register.' })
  @IsOptional()
  @IsBoolean()
  countsOnly?: boolean;

  @ApiPropertyOptional({ description: 'With countsOnly: how many people attended.' })
  @IsOptional()
  @IsInt()
  headcount?: number;

  @ApiPropertyOptional({ type: [AttendeeDto], description: 'The register (without countsOnly).' })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees?: AttendeeDto[];
}

export class ScreeningDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() heldOn: string;
  @ApiProperty({ format: 'uuid' }) communeId: string;
  @ApiProperty() groupName: string;
  @ApiProperty() countsOnly: boolean;
  @ApiProperty() headcount: number;
  @ApiProperty({ type: [String] }) testimonyIds: string[];
  @ApiProperty({ type: String, nullable: true, description: 'An earlier screening of the same group, day and items.' }) duplicateOf: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty({ type: String, nullable: true }) verifiedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) verifiedAt: string | null;

  static from(s: Screening, testimonyIds: string[]): ScreeningDto {
    return {
      id: s.id,
      heldOn: s.heldOn,
      communeId: s.communeId,
      groupName: s.groupName,
      countsOnly: s.countsOnly,
      headcount: s.headcount,
      testimonyIds,
      duplicateOf: s.duplicateOfId,
      recordedBy: s.recordedById,
      verifiedBy: s.verifiedById,
      verifiedAt: s.verifiedAt?.toISOString() ?? null,
    };
  }
}

export class ScreeningQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to?: string;

  @ApiPropertyOptional({ description: 'Only those waiting for a lead.' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  unverified?: boolean;
}
