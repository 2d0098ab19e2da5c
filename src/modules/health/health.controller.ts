import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { ErrorCode } from '../../common/errors/app-error';
import { Public } from '../auth/access.decorators';
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
   * Readiness: every dependency a request may need; 503 names the ones that are down. Answered here
   * rather than by the global error filter, which would reduce Terminus's result to "Service Unavailable".
   */
  @Get('ready')
  @Public()
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult | NotReadyResult> {
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
