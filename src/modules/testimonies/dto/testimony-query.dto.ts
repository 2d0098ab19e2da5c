import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { CONTENT_LANGUAGES, ContentLanguage, MediaKind, TestimonyStatus } from '../testimony-status';

const DATE_HELP = 'A date (2026-03-01, the whole day in UTC) or a date and time (ISO 8601).';

export class TestimonyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TestimonyStatus, enumName: 'TestimonyStatus' })
  @IsOptional()
  @IsIn(Object.values(TestimonyStatus))
  status?: TestimonyStatus;

  @ApiPropertyOptional({ enum: MediaKind, enumName: 'MediaKind' })
  @IsOptional()
  @IsIn(Object.values(MediaKind))
  kind?: MediaKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  provinceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'For educators, only their own id finds anything.' })
  @IsOptional()
  @IsUUID()
  educatorId?: string;

  @ApiPropertyOptional({ enum: CONTENT_LANGUAGES })
  @IsOptional()
  @IsIn(CONTENT_LANGUAGES)
  language?: ContentLanguage;

  @ApiPropertyOptional({ enum: ['newest', 'oldest'], description: 'newest: by upload, newest first (default). oldest: longest unchanged first, as the review queue reads.' })
  @IsOptional()
  @IsIn(['newest', 'oldest'])
  sort?: 'newest' | 'oldest';

  @ApiPropertyOptional({ description: `Created on or after. ${DATE_HELP}` })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: `Created on or before. ${DATE_HELP}` })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
