import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../../common/http/request-context';
import { AnyRole, Roles } from '../../auth/access.decorators';
import { AuthUser, CurrentUser } from '../../auth/auth-user';
import { Role } from '../../users/role';
import { ScreeningDto, ScreeningInputDto, ScreeningQueryDto } from '../dto/screening.dto';
import { ScreeningsService } from './screenings.service';

@ApiTags('reach')
@Controller('screenings')
export class ScreeningsController {
  constructor(private readonly screenings: ScreeningsService) {}

  @Post()
  @Roles(Role.Educator, Role.Lead, Role.Admin)
  @ApiCreatedResponse({ type: ScreeningDto, description: '`duplicateOf` is set when the same group saw the same items that day.' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'SCREENING_IN_FUTURE, SCREENING_BEFORE_CAMPAIGN, ATTENDANCE_OUT_OF_RANGE, DUPLICATE_ATTENDEE, UNKNOWN_COMMUNE, ITEM_NOT_PUBLISHED.' })
  record(@CurrentUser() actor: AuthUser, @Body() body: ScreeningInputDto, @ReqContext() context: RequestContext): Promise<ScreeningDto> {
    return this.screenings.record(actor, body, context);
  }

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: [ScreeningDto], description: 'Educators see the screenings they recorded.' })
  list(@CurrentUser() viewer: AuthUser, @Query() query: ScreeningQueryDto): Promise<ScreeningDto[]> {
    return this.screenings.list(viewer, query);
  }

  @Post(':id/verify')
  @Roles(Role.Lead, Role.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ScreeningDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'OWN_SCREENING: another lead verifies it.' })
  verify(@CurrentUser() actor: AuthUser, @Param('id', new ParseUUIDPipe({ version: '4' })) id: string, @ReqContext() context: RequestContext): Promise<ScreeningDto> {
    return this.screenings.verify(actor, id, context);
  }
}
