import { Controller, Get, Inject, Param, ParseEnumPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { ReachDashboardService } from './dashboard/reach-dashboard.service';
import { EXPORT_TABLES, ExportTable, ReachExportService } from './dashboard/reach-export.service';
import { reachWindow } from './dashboard/reach-window';
import { AppError } from '../../common/errors/app-error';
import { BreakdownQueryDto, BreakdownRowDto, ExportQueryDto, OfflineProfileRowDto, ProgressDto, ReachQueryDto, TestimonyReachDto, TestimonyReachQueryDto } from './dto/reach.dto';

const LEADS = [Role.Lead, Role.Admin, Role.Editor];

@ApiTags('reach')
@Controller('reach')
export class ReachController {
  constructor(
    private readonly dashboard: ReachDashboardService,
    private readonly exports: ReachExportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('progress')
  @Roles(...LEADS)
  @ApiOkResponse({ type: ProgressDto, description: 'Verified unique people offline toward the target, and beside it the online estimate in accounts, each with how it is made.' })
  progress(@Query() query: ReachQueryDto): Promise<ProgressDto> {
    return this.dashboard.progress(this.window(query));
  }

  @Get('breakdown')
  @Roles(...LEADS)
  @ApiOkResponse({ type: [BreakdownRowDto] })
  breakdown(@Query() query: BreakdownQueryDto): Promise<BreakdownRowDto[]> {
    return this.dashboard.breakdown(query.by, this.window(query), query.granularity ?? 'month', query.limit ?? 100);
  }

  @Get('offline-profile')
  @Roles(...LEADS)
  @ApiOkResponse({ type: [OfflineProfileRowDto], description: 'Unique people reached offline by sex and age band.' })
  offlineProfile(@Query() query: ReachQueryDto): Promise<OfflineProfileRowDto[]> {
    return this.dashboard.offlineProfile(this.window(query));
  }

  @Get('testimonies')
  @AnyRole()
  @ApiOkResponse({ type: [TestimonyReachDto], description: 'Items by reach; educators see their own items only.' })
  testimonies(@CurrentUser() viewer: AuthUser, @Query() query: TestimonyReachQueryDto): Promise<TestimonyReachDto[]> {
    return this.dashboard.testimonies(viewer, this.window(query), query.limit ?? 20);
  }

  @Get('export/:table')
  @AnyRole()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'A CSV of one dashboard table, streamed. Educators may export their own testimonies only.' })
  async export(
    @CurrentUser() viewer: AuthUser,
    @Param('table', new ParseEnumPipe(EXPORT_TABLES)) table: ExportTable,
    @Query() query: ExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    if (viewer.role === Role.Educator && table !== 'testimonies') throw AppError.forbidden();
    const window = this.window(query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="reach-${table}-${window.from}-${window.to}.csv"`);
    // A byte-order mark so spreadsheet programs read the Khmer as UTF-8.
    res.write('\ufeff');
    try {
      await this.exports.write(res, table, viewer, window, { by: query.by ?? 'commune', granularity: query.granularity ?? 'month' });
      res.end();
    } catch (error) {
      // The headers are gone: cutting the connection is the only way left to say the file is incomplete.
      res.destroy(error as Error);
    }
  }

  private window(query: ReachQueryDto) {
    return reachWindow(this.config.reach.campaignStartDate, query.from, query.to);
  }
}
