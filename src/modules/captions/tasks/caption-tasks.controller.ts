import { Controller, Get, Header, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../../common/http/request-context';
import { AnyRole, Roles } from '../../auth/access.decorators';
import { AuthUser, CurrentUser } from '../../auth/auth-user';
import { Role } from '../../users/role';
import { ApiCaptionLanguage, CaptionLanguagePipe } from '../caption-language.pipe';
import { CaptionLanguage } from '../caption.types';
import { CaptionPreviewQueryDto, CaptionTaskDto } from './caption-task.dto';
import { CaptionTasksService } from './caption-tasks.service';

const uuid = new ParseUUIDPipe({ version: '4' });
const language = new CaptionLanguagePipe();
/** The same people who may change the captions (the service narrows educators to their own items). */
const WRITERS = [Role.Educator, Role.Editor, Role.Admin];

@ApiTags('captions')
@Controller('testimonies/:id/captions/:language')
@ApiCaptionLanguage()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such testimony (or not yours), or no captions in that language.' })
export class CaptionTasksController {
  constructor(private readonly tasks: CaptionTasksService) {}

  @Get('tasks')
  @AnyRole()
  @ApiOkResponse({ type: [CaptionTaskDto], description: 'The latest request of each kind, with its progress and result.' })
  list(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string, @Param('language', language) lang: CaptionLanguage): Promise<CaptionTaskDto[]> {
    return this.tasks.list(viewer, id, lang);
  }

  @Post('speech-segments')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: CaptionTaskDto, description: 'Empty cues timed to where people speak will appear in `cues`, to fill in.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A photo, or a video not processed yet.' })
  speechSegments(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Param('language', language) lang: CaptionLanguage, @ReqContext() context: RequestContext): Promise<CaptionTaskDto> {
    return this.tasks.request(actor, id, lang, 'speech-segments', context);
  }

  @Post('transcript')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: CaptionTaskDto, description: 'A machine draft; it becomes the captions only if no person has made or changed them.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'No speech-to-text engine on this server, a photo, or a video not processed yet.' })
  transcript(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Param('language', language) lang: CaptionLanguage, @ReqContext() context: RequestContext): Promise<CaptionTaskDto> {
    return this.tasks.request(actor, id, lang, 'transcript', context);
  }

  @Post('burn-in')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: CaptionTaskDto, description: 'Renders an MP4 with the current captions drawn in; `video` links to it when done.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'No captions to burn in, a photo, or a video not processed yet.' })
  burnIn(@CurrentUser() actor: AuthUser, @Param('id', uuid) id: string, @Param('language', language) lang: CaptionLanguage, @ReqContext() context: RequestContext): Promise<CaptionTaskDto> {
    return this.tasks.request(actor, id, lang, 'burn-in', context);
  }

  @Get('preview')
  @AnyRole()
  @Header('Cache-Control', 'private, max-age=60')
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'A JPEG of that moment with the saved captions drawn in as burn-in draws them.' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'No worker drew it in time.' })
  async preview(
    @CurrentUser() viewer: AuthUser,
    @Param('id', uuid) id: string,
    @Param('language', language) lang: CaptionLanguage,
    @Query() query: CaptionPreviewQueryDto,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.tasks.preview(viewer, id, lang, query.atMs), { type: 'image/jpeg' });
  }
}
