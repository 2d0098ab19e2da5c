import { ApiProperty } from '@nestjs/swagger';
import { CommuneDto } from '../../places/dto/place.dto';
import { AssetRole } from '../asset.entity';
import { Testimony } from '../testimony.entity';
import { CONTENT_LANGUAGES, ContentLanguage, MediaKind, TestimonyStatus } from '../testimony-status';

/** The thumbnail lists show: small enough for a page of twenty on a rural mobile link. */
export const LIST_THUMBNAIL_VARIANT = '320w-webp';

export class EducatorRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

/** The last editorial decision, so the educator sees the note or the reason beside the item. */
export class LatestDecisionDto {
  @ApiProperty({ enum: ['approved', 'changes_requested', 'rejected'] }) kind: string;
  @ApiProperty() note: string;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty() at: string;
}

/** What a summary is made of: a whole item, or the list's lighter row. */
type SummarySource = Pick<
  Testimony,
  'id' | 'title' | 'kind' | 'status' | 'language' | 'progress' | 'failureReason' | 'failureCode' | 'failureFigures' | 'commune' | 'createdAt' | 'placeholder' | 'updatedAt'
> & { educator: EducatorRefDto };

export class TestimonySummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: MediaKind, enumName: 'MediaKind' }) kind: MediaKind;
  @ApiProperty({ enum: TestimonyStatus, enumName: 'TestimonyStatus' }) status: TestimonyStatus;
  @ApiProperty({ enum: CONTENT_LANGUAGES }) language: ContentLanguage;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ nullable: true, type: String, description: 'In English, for staff; the web app words failureCode instead.' }) failureReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The failure in the error model (MEDIA_TRUNCATED, JOB_GAVE_UP…).' }) failureCode: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'The figures the failure quotes (a limit, a size).' })
  failureFigures: Record<string, unknown> | null;
  @ApiProperty({ type: CommuneDto }) commune: CommuneDto;
  @ApiProperty({ type: EducatorRefDto }) educator: EducatorRefDto;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'A thumbhash (base64) to draw a blurred preview before any image loads.' })
  placeholder: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A short-lived link to a 320 px wide WebP thumbnail, once processing made one.' })
  thumbnailUrl: string | null;
  @ApiProperty({ nullable: true, type: LatestDecisionDto }) latestDecision: LatestDecisionDto | null;
  @ApiProperty() updatedAt: string;

  static from(t: SummarySource, thumbnailUrl: string | null = null, latestDecision: LatestDecisionDto | null = null): TestimonySummaryDto {
    return {
      id: t.id,
      title: t.title,
      kind: t.kind,
      status: t.status,
      language: t.language,
      progress: t.progress,
      failureReason: t.failureReason,
      failureCode: t.failureCode,
      failureFigures: t.failureFigures,
      commune: CommuneDto.from(t.commune),
      educator: { id: t.educator.id, displayName: t.educator.displayName },
      createdAt: t.createdAt.toISOString(),
      placeholder: t.placeholder,
      thumbnailUrl,
      latestDecision,
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}

/** A file made from the original, with a link that works for a few minutes. The original itself is never listed. */
export class RenditionDto {
  @ApiProperty({ enum: AssetRole, enumName: 'AssetRole' }) role: AssetRole;
  @ApiProperty({ description: "Variant within the role, e.g. '320w-webp'; empty when the role has one file." }) variant: string;
  @ApiProperty() mimeType: string;
  @ApiProperty({ nullable: true, type: Number }) width: number | null;
  @ApiProperty({ nullable: true, type: Number }) height: number | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs: number | null;
  @ApiProperty() byteSize: number;
  @ApiProperty() url: string;
  @ApiProperty() urlExpiresAt: string;
}

export class TestimonyDto extends TestimonySummaryDto {
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) consentDeclaredAt: string | null;
  @ApiProperty({ type: [RenditionDto], description: "Empty for a withdrawn item, except for admins." }) renditions: RenditionDto[];

  static detail(t: Testimony, renditions: RenditionDto[], latestDecision: LatestDecisionDto | null): TestimonyDto {
    const thumbnail = renditions.find((r) => r.role === AssetRole.Thumbnail && r.variant === LIST_THUMBNAIL_VARIANT);
    return {
      ...TestimonySummaryDto.from(t, thumbnail?.url ?? null, latestDecision),
      description: t.description,
      consentDeclaredAt: t.consentDeclaredAt?.toISOString() ?? null,
      renditions,
    };
  }
}

export class TestimonyPageDto {
  @ApiProperty({ type: [TestimonySummaryDto] }) items: TestimonySummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class StatusCountsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { in_review: 4, changes_requested: 1 } })
  counts: Record<string, number>;
}
