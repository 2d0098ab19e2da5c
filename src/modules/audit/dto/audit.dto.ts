import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { AuditEvent } from '../audit-event.entity';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'user' }) @IsOptional() @IsString() @MaxLength(32) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) targetId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorId?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorUsername: string | null;
  @ApiProperty({ example: 'user.created' }) action: string;
  @ApiProperty({ nullable: true, type: String }) targetType: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty() createdAt: string;

  static from(e: AuditEvent): AuditEventDto {
    return {
      id: e.id,
      actorId: e.actorId,
      actorUsername: e.actorUsername,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      details: e.details as Record<string, unknown>,
      ip: e.ip,
      requestId: e.requestId,
      createdAt: e.createdAt.toISOString(),
    };
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
