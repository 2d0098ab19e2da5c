import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { SystemService } from './system.service';
import { WorkerCheckResult } from './worker-check';

@ApiTags('admin')
@Controller('admin')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Post('worker-check')
  @Roles(Role.Admin)
  @HttpCode(200)
  @ApiOkResponse({ type: WorkerCheckResult, description: 'A worker ran the check job and reports what it can reach.' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'No worker answered, or Redis is down.' })
  checkWorker(@CurrentUser() actor: AuthUser): Promise<WorkerCheckResult> {
    return this.system.checkWorker(actor);
  }
}
