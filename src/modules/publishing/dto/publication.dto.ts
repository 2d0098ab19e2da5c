import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { cleanPlainText } from '../../../common/text/plain-text';
import { FacebookPage, PageState, Scheduling } from '../facebook-page.entity';
import { Publication, PublicationState } from '../publication.entity';

const clean = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? cleanPlainText(value) : value);
/** A time with its zone: a time without one is how other schedulers shifted posts by an hour. */
const WITH_ZONE = /(Z|[+-]\d{2}:\d{2})$/;

export class ScheduleInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  testimonyId: string;

  @ApiPropertyOptional({ example: '2026-12-01T19:00:00+07:00', description: 'With its zone (Z or +07:00). Absent with publishNow.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_ZONE, { message: 'Give the time with its zone, such as 2026-12-01T19:00:00+07:00 (Phnom Penh).' })
  at?: string;

  @ApiPropertyOptional({ description: 'Publish as soon as the worker can, instead of at a time.' })
  @IsOptional()
  @IsBoolean()
  publishNow?: boolean;

  @ApiProperty({ minLength: 1, maxLength: 5000, description: 'The post text in Khmer.' })
  @Transform(clean)
  @IsString()
  // A post's text is how a post whose answer was lost is found on the Page again; Meta leaves an empty
  // text out, so such a post could never be found, and would be sent a second time.
  @IsNotEmpty({ message: 'Write the post text in Khmer: the Page’s audience reads Khmer.' })
  @MaxLength(5000)
  messageKm: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'The post text in English, after the Khmer.' })
  @IsOptional()
  @Transform(clean)
  @IsString()
  @MaxLength(5000)
  messageEn?: string;
}

export class RescheduleInputDto {
  @ApiProperty({ example: '2026-12-02T19:00:00+07:00' })
  @IsISO8601({ strict: true })
  @Matches(WITH_ZONE, { message: 'Give the time with its zone, such as 2026-12-01T19:00:00+07:00 (Phnom Penh).' })
  at: string;

  @ApiPropertyOptional({ description: 'The version the editor saw; a different one now answers 409 STATE_CHANGED.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class PublicationQueryDto {
  @ApiPropertyOptional({ description: 'From this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: PublicationState, enumName: 'PublicationState' })
  @IsOptional()
  @IsIn(Object.values(PublicationState))
  state?: PublicationState;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('4')
  testimonyId?: string;
}

export class ConnectPageDto {
  @ApiProperty({ example: '104857600000001', description: "The Page's id (Page settings, or the Page's About)." })
  @Transform(clean)
  @IsString()
  @Matches(/^\d{5,30}$/, { message: "The Page id is a number of digits, as Facebook shows it in the Page's settings." })
  pageId: string;

  @ApiProperty({ description: 'A Page access token, or a system user token with the Page assigned. Never shown again.' })
  @IsString()
  @MinLength(20)
  @MaxLength(1000)
  token: string;

  @ApiPropertyOptional({ enum: Scheduling, enumName: 'Scheduling', default: Scheduling.Worker })
  @IsOptional()
  @IsIn(Object.values(Scheduling))
  scheduling?: Scheduling;
}

export class PageConnectionDto {
  @ApiProperty({ description: 'False when no Page is connected; the other fields are then empty.' }) connected: boolean;
  @ApiProperty({ nullable: true, type: String }) pageId: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: PageState, enumName: 'PageState', nullable: true }) state: PageState | null;
  @ApiProperty({ nullable: true, type: String }) stateReason: string | null;
  @ApiProperty({ nullable: true, type: String }) throttledUntil: string | null;
  @ApiProperty({ enum: Scheduling, enumName: 'Scheduling', nullable: true }) scheduling: Scheduling | null;
  @ApiProperty({ description: 'The local simulated Page of the single-machine start: nothing reaches Facebook.' }) simulated: boolean;
  @ApiProperty({ nullable: true, type: String }) tokenType: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ nullable: true, type: String }) connectedAt: string | null;

  static from(page: FacebookPage | null): PageConnectionDto {
    return {
      connected: page !== null,
      pageId: page?.pageId ?? null,
      name: page?.name ?? null,
      state: page?.state ?? null,
      stateReason: page?.stateReason ?? null,
      throttledUntil: page?.throttledUntil?.toISOString() ?? null,
      scheduling: page?.scheduling ?? null,
      simulated: page?.simulated ?? false,
      tokenType: page?.tokenType ?? null,
      scopes: page?.scopes ?? [],
      connectedAt: page?.connectedAt.toISOString() ?? null,
    };
  }
}

export class PublicationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) testimonyId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['video', 'photo'] }) kind: string;
  @ApiProperty({ enum: PublicationState, enumName: 'PublicationState' }) state: PublicationState;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'UTC; the web app shows it in Asia/Phnom_Penh.' }) scheduledAt: string;
  @ApiProperty() handedToFacebook: boolean;
  @ApiProperty() messageKm: string;
  @ApiProperty() messageEn: string;
  @ApiProperty({ nullable: true, type: String }) postId: string | null;
  @ApiProperty({ nullable: true, type: String }) videoId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The post on Facebook, once it is there.' }) postUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) takenDownAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'transient, throttled, token, permission, policy, bad_request, consent…' }) errorKind: string | null;
  @ApiProperty({ nullable: true, type: Number }) errorCode: number | null;
  @ApiProperty({ nullable: true, type: Number }) errorSubcode: number | null;
  @ApiProperty({ nullable: true, type: String, description: "Meta's own words." }) errorMessage: string | null;
  @ApiProperty({ nullable: true, type: String }) errorUserMessage: string | null;

  static from(p: Publication, title: string): PublicationDto {
    const onPage = p.postId ?? p.videoId;
    return {
      id: p.id,
      testimonyId: p.testimonyId,
      title,
      kind: p.kind,
      state: p.state,
      version: p.version,
      scheduledAt: p.scheduledAt.toISOString(),
      handedToFacebook: p.handedToFacebook,
      messageKm: p.messageKm,
      messageEn: p.messageEn,
      postId: p.postId,
      videoId: p.videoId,
      postUrl: onPage && (p.state === PublicationState.Published || p.handedToFacebook) ? `https://www.facebook.com/${onPage}` : null,
      publishedAt: p.publishedAt?.toISOString() ?? null,
      takenDownAt: p.takenDownAt?.toISOString() ?? null,
      errorKind: p.errorKind,
      errorCode: p.errorCode,
      errorSubcode: p.errorSubcode,
      errorMessage: p.errorMessage,
      errorUserMessage: p.errorUserMessage,
    };
  }
}
