import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { CommentsService } from './comments.service';
import { DecisionKind } from './decision.entity';
import { CommentDto, CommentInputDto, DecisionDto, DecisionInputDto, HistoryEntryDto } from './dto/review.dto';
import { ReviewService } from './review.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('review')
@Controller('testimonies/:id')
export class ReviewController {
  constructor(
    private readonly review: ReviewService,
    private readonly comments: CommentsService,
  ) {}

  @Post('approve')
  @Roles(Role.Editor, Role.Admin)
  @ApiCreatedResponse({ type: DecisionDto, description: 'Approved, with the renditions and caption versions pinned.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONSENT_MISSING, DISGUISE_NOT_CONFIRMED, STATE_CHANGED, NOT_ALLOWED_IN_STATE or ITEM_WITHDRAWN.' })
  approve(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Body() body: DecisionInputDto, @ReqContext() context: RequestContext): Promise<DecisionDto> {
    return this.review.decide(actor, id, DecisionKind.Approved, body, context);
  }

  @Post('request-changes')
  @Roles(Role.Editor, Role.Admin)
  @ApiCreatedResponse({ type: DecisionDto, description: 'Back to the educator with the note.' })
  requestChanges(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Body() body: DecisionInputDto, @ReqContext() context: RequestContext): Promise<DecisionDto> {
    return this.review.decide(actor, id, DecisionKind.ChangesRequested, body, context);
  }

  @Post('reject')
  @Roles(Role.Editor, Role.Admin)
  @ApiCreatedResponse({ type: DecisionDto, description: 'Rejected, with the reason the educator sees.' })
  reject(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Body() body: DecisionInputDto, @ReqContext() context: RequestContext): Promise<DecisionDto> {
    return this.review.decide(actor, id, DecisionKind.Rejected, body, context);
  }

  @Post('resubmit')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Back in review after the changes asked for.' })
  async resubmit(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @ReqContext() context: RequestContext): Promise<void> {
    await this.review.resubmit(actor, id, context);
  }

  @Get('decisions')
  @AnyRole()
  @ApiOkResponse({ type: [DecisionDto], description: 'Newest first.' })
  decisions(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<DecisionDto[]> {
    return this.review.decisions(viewer, id);
  }

  @Get('history')
  @AnyRole()
  @ApiOkResponse({ type: [HistoryEntryDto], description: 'Who did what, and when; oldest first.' })
  history(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<HistoryEntryDto[]> {
    return this.review.history(viewer, id);
  }

  @Get('comments')
  @AnyRole()
  @ApiOkResponse({ type: [CommentDto] })
  listComments(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<CommentDto[]> {
    return this.comments.list(viewer, id);
  }

  @Post('comments')
  @Roles(Role.Educator, Role.Editor, Role.Admin)
  @ApiCreatedResponse({ type: CommentDto })
  addComment(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Body() body: CommentInputDto, @ReqContext() context: RequestContext): Promise<CommentDto> {
    return this.comments.add(actor, id, body, context);
  }
}
