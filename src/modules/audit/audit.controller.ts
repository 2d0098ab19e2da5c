import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { Role } from '../users/role';
import { AuditEventDto, AuditPageDto, AuditQueryDto } from './dto/audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOkResponse({ type: AuditPageDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const [events, total] = await this.audit.list({ ...query, skip: query.skip, take: query.pageSize });
    return { items: events.map((e) => AuditEventDto.from(e)), total, page: query.page, pageSize: query.pageSize };
  }
}
