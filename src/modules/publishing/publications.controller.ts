import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { ConnectPageDto, PageConnectionDto, PublicationDto, PublicationQueryDto, RescheduleInputDto, ScheduleInputDto } from './dto/publication.dto';
import { Scheduling } from './facebook-page.entity';
import { PageConnectionService } from './page-connection.service';
import { PublicationsService } from './publications.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('publishing')
@Controller()
export class PublicationsController {
  constructor(
    private readonly publications: PublicationsService,
    private readonly pages: PageConnectionService,
  ) {}

  @Get('publications')
  @Roles(Role.Editor, Role.Lead, Role.Admin)
  @ApiOkResponse({ type: [PublicationDto], description: 'For the calendar and the list: times in UTC.' })
  list(@Query() query: PublicationQueryDto): Promise<PublicationDto[]> {
    return this.publications.list(query);
  }

  @Get('testimonies/:id/publications')
  @AnyRole()
  @ApiOkResponse({ type: [PublicationDto], description: "An item's publications; educators see their own items' only." })
  forItem(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<PublicationDto[]> {
    return this.publications.forItem(viewer, id);
  }

  @Post('publications')
  @Roles(Role.Editor, Role.Admin)
  @ApiCreatedResponse({ type: PublicationDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NOT_ALLOWED_IN_STATE, CONSENT_MISSING, ALREADY_SCHEDULED, PAGE_NOT_CONNECTED.' })
  schedule(@CurrentUser() actor: AuthUser, @Body() body: ScheduleInputDto, @ReqContext() context: RequestContext): Promise<PublicationDto> {
    return this.publications.schedule(actor, body, context);
  }

  @Put('publications/:publicationId/time')
  @Roles(Role.Editor, Role.Admin)
  @ApiOkResponse({ type: PublicationDto })
  reschedule(@CurrentUser() actor: AuthUser, @Param('publicationId', uuid) id: string, @Body() body: RescheduleInputDto, @ReqContext() context: RequestContext): Promise<PublicationDto> {
    return this.publications.reschedule(actor, id, body, context);
  }

  @Post('publications/:publicationId/publish-now')
  @Roles(Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PublicationDto })
  publishNow(@CurrentUser() actor: AuthUser, @Param('publicationId', uuid) id: string, @ReqContext() context: RequestContext): Promise<PublicationDto> {
    return this.publications.publishNow(actor, id, context);
  }

  @Post('publications/:publicationId/cancel')
  @Roles(Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PublicationDto })
  cancel(@CurrentUser() actor: AuthUser, @Param('publicationId', uuid) id: string, @ReqContext() context: RequestContext): Promise<PublicationDto> {
    return this.publications.cancel(actor, id, context);
  }

  @Post('publications/:publicationId/retry')
  @Roles(Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PublicationDto })
  retry(@CurrentUser() actor: AuthUser, @Param('publicationId', uuid) id: string, @ReqContext() context: RequestContext): Promise<PublicationDto> {
    return this.publications.retry(actor, id, context);
  }

  @Post('publications/:publicationId/reconcile')
  @Roles(Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PublicationDto, description: 'Looks on the Page for what a lost call made, before anything is sent again.' })
  reconcile(@Param('publicationId', uuid) id: string): Promise<PublicationDto> {
    return this.publications.reconcileNow(id);
  }

  @Post('publications/:publicationId/take-down')
  @Roles(Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PublicationDto })
  takeDown(@CurrentUser() actor: AuthUser, @Param('publicationId', uuid) id: string, @ReqContext() context: RequestContext): Promise<PublicationDto> {
    return this.publications.takeDown(actor, id, context);
  }

  @Get('page')
  @AnyRole()
  @ApiOkResponse({ type: PageConnectionDto, description: "The Page connection's state; every role sees it (the simulated-Page banner)." })
  async page(): Promise<PageConnectionDto> {
    return PageConnectionDto.from(await this.pages.current());
  }

  @Put('admin/page')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: PageConnectionDto, description: 'Checked with Facebook first: a Page token of this Page with the permissions publishing needs.' })
  async connect(@CurrentUser() actor: AuthUser, @Body() body: ConnectPageDto, @ReqContext() context: RequestContext): Promise<PageConnectionDto> {
    const page = await this.pages.connect(actor, { pageId: body.pageId, token: body.token, scheduling: body.scheduling ?? Scheduling.Worker }, context);
    await this.publications.resumeWaiting();
    return PageConnectionDto.from(page);
  }

  @Delete('admin/page')
  @Roles(Role.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  async disconnect(@CurrentUser() actor: AuthUser, @ReqContext() context: RequestContext): Promise<void> {
    await this.pages.disconnect(actor, context);
  }
}
