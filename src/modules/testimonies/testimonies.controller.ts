import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { StatusCountsDto, TestimonyDto, TestimonyPageDto } from './dto/testimony.dto';
import { TestimonyQueryDto } from './dto/testimony-query.dto';
import { TestimoniesService } from './testimonies.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('testimonies')
@Controller('testimonies')
export class TestimoniesController {
  constructor(private readonly testimonies: TestimoniesService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: TestimonyPageDto, description: 'Educators get their own items; editors, leads and admins get all.' })
  list(@CurrentUser() viewer: AuthUser, @Query() query: TestimonyQueryDto): Promise<TestimonyPageDto> {
    return this.testimonies.list(viewer, query);
  }

  @Get('counts')
  @AnyRole()
  @ApiOkResponse({ type: StatusCountsDto, description: 'How many items are in each state, under the same filters as the list.' })
  async counts(@CurrentUser() viewer: AuthUser, @Query() query: TestimonyQueryDto): Promise<StatusCountsDto> {
    return { counts: await this.testimonies.counts(viewer, query) };
  }

  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: TestimonyDto, description: 'With short-lived links to every rendition; never to the original.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<TestimonyDto> {
    return this.testimonies.detail(viewer, id);
  }

  @Post(':id/reprocess')
  @Roles(Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: TestimonyDto, description: 'A new processing run is queued; the item is `processing` again.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The item is past review (approved, scheduled, published) or withdrawn.' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The job queue is down; nothing changed.' })
  reprocess(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @ReqContext() context: RequestContext): Promise<TestimonyDto> {
    return this.testimonies.reprocess(actor, id, context);
  }

  @Delete(':id')
  @Roles(Role.Educator, Role.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The item, its rows and every stored file of it are gone.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'File storage is down; nothing was deleted.' })
  async remove(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @ReqContext() context: RequestContext): Promise<void> {
    await this.testimonies.remove(actor, id, context);
  }
}
