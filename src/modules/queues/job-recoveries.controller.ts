import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/http/page.dto';
import { Roles } from '../auth/access.decorators';
import { Role } from '../users/role';
import { JobRecoveryDto, JobRecoveryPageDto } from './dto/job-recovery.dto';
import { JobRecoveriesService } from './job-recoveries.service';

@ApiTags('admin')
@Controller('admin/recoveries')
export class JobRecoveriesController {
  constructor(private readonly recoveries: JobRecoveriesService) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOkResponse({ type: JobRecoveryPageDto, description: 'How much work the queue lost and the worker recovered, and when; newest first.' })
  async list(@Query() query: PageQueryDto): Promise<JobRecoveryPageDto> {
    const [[items, total], totals] = await Promise.all([this.recoveries.list(query.skip, query.pageSize), this.recoveries.totals()]);
    return {
      requeued: totals.requeued,
      settled: totals.settled,
      lastRecoveredAt: totals.lastRecoveredAt?.toISOString() ?? null,
      items: items.map((r) => JobRecoveryDto.from(r)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
