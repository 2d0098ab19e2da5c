import { Body, Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Put, Req, UseInterceptors, HttpCode } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { AppConfig } from '../../config/app-config';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { StagedPhoto } from '../uploads/photo-file.interceptor';
import { removeStaged, stagedPath } from '../uploads/staged-media';
import { Role } from '../users/role';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { ConsentService } from './consent.service';
import { ConsentInputDto, ConsentRecordDto, EvidenceLinkDto, KeepMediaDto, WithdrawalDto, WithdrawalInputDto } from './dto/consent.dto';
import { EvidenceFileInterceptor } from './evidence-file.interceptor';
import { WithdrawalsService } from './withdrawals.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('consent')
@Controller()
export class ConsentController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly consent: ConsentService,
    private readonly withdrawals: WithdrawalsService,
  ) {}

  @Get('testimonies/:id/consents')
  @AnyRole()
  @ApiOkResponse({ type: [ConsentRecordDto] })
  list(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<ConsentRecordDto[]> {
    return this.consent.list(viewer, id);
  }

  @Post('testimonies/:id/consents')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @ApiCreatedResponse({ type: ConsentRecordDto, description: 'One person shown, and what they agreed to.' })
  record(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Body() body: ConsentInputDto, @ReqContext() context: RequestContext): Promise<ConsentRecordDto> {
    return this.consent.record(actor, id, body, context);
  }

  @Put('testimonies/:id/consents/:consentId')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @ApiOkResponse({ type: ConsentRecordDto, description: 'Changed, with the earlier terms kept in the audit log.' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('consentId', uuid) consentId: string,
    @Body() body: ConsentInputDto,
    @ReqContext() context: RequestContext,
  ): Promise<ConsentRecordDto> {
    return this.consent.update(actor, id, consentId, body, context);
  }

  @Post('testimonies/:id/consents/:consentId/evidence')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @UseInterceptors(EvidenceFileInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: ConsentRecordDto, description: 'A photo of the form or a recording, stored privately with its metadata stripped.' })
  async evidence(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('consentId', uuid) consentId: string,
    @Req() req: { file?: StagedPhoto },
    @ReqContext() context: RequestContext,
  ): Promise<ConsentRecordDto> {
    if (!req.file) throw AppError.badRequest(ErrorCode.ValidationFailed, 'Attach the photo of the form or the recording in the "file" field.');
    try {
      return await this.consent.addEvidence(actor, id, consentId, stagedPath(this.config.uploads.stagingDir, req.file.filename), context);
    } finally {
      await removeStaged(this.config.uploads.stagingDir, req.file.filename);
    }
  }

  @Get('testimonies/:id/consents/:consentId/evidence')
  @Roles(Role.Editor, Role.Admin)
  @ApiOkResponse({ type: EvidenceLinkDto, description: 'A link that works for a few minutes.' })
  evidenceLink(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string, @Param('consentId', uuid) consentId: string): Promise<EvidenceLinkDto> {
    return this.consent.evidenceLink(viewer, id, consentId);
  }

  @Post('testimonies/:id/consents/:consentId/withdrawal')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: [WithdrawalDto], description: "The item's withdrawals with each step's state." })
  withdrawConsent(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('consentId', uuid) consentId: string,
    @Body() body: WithdrawalInputDto,
    @ReqContext() context: RequestContext,
  ): Promise<WithdrawalDto[]> {
    return this.withdrawals.withdraw(actor, id, consentId, body, context);
  }

  @Post('testimonies/:id/withdrawal')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: [WithdrawalDto], description: 'For an item whose person has no consent record here, or when the whole item must go.' })
  withdrawItem(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Body() body: WithdrawalInputDto, @ReqContext() context: RequestContext): Promise<WithdrawalDto[]> {
    return this.withdrawals.withdraw(actor, id, null, body, context);
  }

  @Get('testimonies/:id/withdrawals')
  @AnyRole()
  @ApiOkResponse({ type: [WithdrawalDto] })
  listWithdrawals(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<WithdrawalDto[]> {
    return this.withdrawals.list(viewer, id);
  }

  @Post('withdrawals/:withdrawalId/keep-media')
  @Roles(Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: WithdrawalDto })
  keepMedia(@CurrentUser() admin: AuthUser, @Param('withdrawalId', uuid) withdrawalId: string, @Body() body: KeepMediaDto, @ReqContext() context: RequestContext): Promise<WithdrawalDto> {
    return this.withdrawals.keepMedia(admin, withdrawalId, body.reason, context);
  }
}
