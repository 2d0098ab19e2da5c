import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { CommuneDto } from '../../places/dto/place.dto';
import { Testimony } from '../testimony.entity';
import { CONTENT_LANGUAGES, ContentLanguage, MediaKind, TestimonyStatus } from '../testimony-status';

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
}

export class EducatorRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

export class TestimonySummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: MediaKind, enumName: 'MediaKind' }) kind: MediaKind;
  @ApiProperty({ enum: TestimonyStatus, enumName: 'TestimonyStatus' }) status: TestimonyStatus;
  @ApiProperty({ enum: CONTENT_LANGUAGES }) language: ContentLanguage;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty({ type: CommuneDto }) commune: CommuneDto;
  @ApiProperty({ type: EducatorRefDto }) educator: EducatorRefDto;
  @ApiProperty() createdAt: string;

  static from(t: Testimony): TestimonySummaryDto {
    return {
      id: t.id,
      title: t.title,
      kind: t.kind,
      status: t.status,
      language: t.language,
      progress: t.progress,
      failureReason: t.failureReason,
      commune: CommuneDto.from(t.commune),
      educator: { id: t.educator.id, displayName: t.educator.displayName },
      createdAt: t.createdAt.toISOString(),
    };
  }
}

export class TestimonyDto extends TestimonySummaryDto {
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) consentDeclaredAt: string | null;
  @ApiProperty() updatedAt: string;

  static override from(t: Testimony): TestimonyDto {
    return {
      ...TestimonySummaryDto.from(t),
      description: t.description,
      consentDeclaredAt: t.consentDeclaredAt?.toISOString() ?? null,
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}

export class TestimonyPageDto {
  @ApiProperty({ type: [TestimonySummaryDto] }) items: TestimonySummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
