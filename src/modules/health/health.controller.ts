import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { ErrorCode } from '../../common/errors/app-error';
import { Public, Roles } from '../auth/access.decorators';
import { Role } from '../users/role';
import { DependencyIndicators } from './dependency.indicators';

/** What /ready answers when a dependency is down: Terminus's result, plus a sentence naming what is down. */
export type NotReadyResult = HealthCheckResult & { statusCode: 503; code: ErrorCode.DependencyUnavailable; message: string };

function notReady(result: HealthCheckResult): NotReadyResult {
  const down = Object.entries(result.error ?? {}).map(([name, state]) => {
    const message = (state as { message?: unknown }).message;
    return typeof message === 'string' && message ? `${name} (${message})` : name;
  });
  const message =
    result.status === 'shutting_down'
      ? 'Not ready: this process is shutting down.'
      : `Not ready: ${down.length === 1 ? 'this dependency is' : 'these dependencies are'} down: ${down.join('; ')}.`;
  return { ...result, statusCode: 503, code: ErrorCode.DependencyUnavailable, message };
}

/** What anyone may learn: whether the service is ready and, if not, which parts are down; no versions, no names of buckets. */
export interface PublicReadiness {
  status: 'ok' | 'error' | 'shutting_down';
  down?: string[];
  statusCode?: 503;
  code?: ErrorCode.DependencyUnavailable;
  message?: string;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyIndicators,
  ) {}

  /** Liveness: the process answers. Never checks dependencies, so an outage elsewhere does not restart us. */
  @Get('health')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness for load balancers and scripts: 200, or 503 naming what is down. Public, so it says no
   * more than that; versions, the bucket and each error's text are at GET /api/admin/ready.
   */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<PublicReadiness> {
    const result = await this.check(res);
    if (!('code' in result)) return { status: result.status };
    const down = Object.keys(result.error ?? {});
    const message = result.status === 'shutting_down' ? result.message : `Not ready: down: ${down.join(', ')}. An admin sees why at /api/admin/ready.`;
    return { status: result.status, down, statusCode: result.statusCode, code: result.code, message };
  }

  /** The full readiness report, with versions and each failure's text, for admins. */
  @Get('admin/ready')
  @Roles(Role.Admin)
  @HealthCheck()
  readyInDetail(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult | NotReadyResult> {
    return this.check(res);
  }

  /**
   * Every dependency a request may need; 503 names the ones that are down. Answered here rather than
   * by the global error filter, which would reduce Terminus's result to "Service Unavailable".
   */
  private async check(res: Response): Promise<HealthCheckResult | NotReadyResult> {
    try {
      return await this.health.check([
        () => this.dependencies.databaseUp(),
        () => this.dependencies.redisUp(),
        () => this.dependencies.redisSettings(),
        () => this.dependencies.storageUp(),
        () => this.dependencies.mediaToolsUp(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return notReady(error.getResponse() as HealthCheckResult);
    }
  }
}
