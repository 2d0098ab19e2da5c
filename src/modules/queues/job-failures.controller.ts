import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/http/page.dto';
import { Roles } from '../auth/access.decorators';
import { Role } from '../users/role';
import { JobFailureDto, JobFailurePageDto } from './dto/job-failure.dto';
import { JobFailuresService } from './job-failures.service';

@ApiTags('admin')
@Controller('admin/job-failures')
export class JobFailuresController {
  constructor(private readonly failures: JobFailuresService) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOkResponse({ type: JobFailurePageDto })
  async list(@Query() query: PageQueryDto): Promise<JobFailurePageDto> {
    const [items, total] = await this.failures.list(query.skip, query.pageSize);
    return { items: items.map((f) => JobFailureDto.from(f)), total, page: query.page, pageSize: query.pageSize };
  }
}
