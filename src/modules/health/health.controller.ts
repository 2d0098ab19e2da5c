import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/access.decorators';
import { DependencyIndicators } from './dependency.indicators';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dependencies: DependencyIndicators,
  ) {}

  /** Liveness: the process answers. Never checks dependencies, so an outage elsewhere does not restart us. */
  @Get('health')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency a request may need; 503 names the ones that are down. */
  @Get('ready')
  @Public()
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.dependencies.redisUp(),
      () => this.dependencies.storageUp(),
      () => this.dependencies.mediaToolsUp(),
    ]);
  }
}
