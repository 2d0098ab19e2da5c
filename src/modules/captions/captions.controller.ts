import { Body, Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Put, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { ReqContext, RequestContext } from '../../common/http/request-context';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { CaptionLanguage } from './caption.types';
import { CaptionFileInterceptor } from './caption-file.interceptor';
import { CaptionUpload } from './caption-import';
import { ApiCaptionLanguage, CaptionLanguagePipe } from './caption-language.pipe';
import { CaptionsService } from './captions.service';
import { CaptionExportQueryDto, CaptionImportDto, ChangeCueDto, ReplaceCaptionsDto } from './dto/caption-input.dto';
import { CaptionTrackDto, CaptionTrackSummaryDto, CaptionVersionDto } from './dto/caption-output.dto';

const uuid = new ParseUUIDPipe({ version: '4' });
const language = new CaptionLanguagePipe();
const whole = new ParseIntPipe();
/** Who may try to change captions; the service then narrows educators to their own items before approval. */
const WRITERS = [Role.Educator, Role.Editor, Role.Admin];

@ApiTags('captions')
@Controller('testimonies/:id/captions')
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such testimony (or not yours), or no captions in that language.' })
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A language we do not support, or captions with problems (all listed in `details`).' })
export class CaptionsController {
  constructor(private readonly captions: CaptionsService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: [CaptionTrackSummaryDto] })
  list(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string): Promise<CaptionTrackSummaryDto[]> {
    return this.captions.list(viewer, id);
  }

  @Get(':language')
  @ApiCaptionLanguage()
  @AnyRole()
  @ApiOkResponse({ type: CaptionTrackDto })
  get(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string, @Param('language', language) lang: CaptionLanguage): Promise<CaptionTrackDto> {
    return this.captions.track(viewer, id, lang);
  }

  @Put(':language')
  @ApiCaptionLanguage()
  @Roles(...WRITERS)
  @ApiOkResponse({ type: CaptionTrackDto, description: 'Saved as a new version; `warnings` is reading guidance.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: '`baseVersion` is not the current version: someone else saved first.' })
  replace(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('language', language) lang: CaptionLanguage,
    @Body() body: ReplaceCaptionsDto,
    @ReqContext() context: RequestContext,
  ): Promise<CaptionTrackDto> {
    return this.captions.replace(actor, id, lang, body, context);
  }

  @Patch(':language/cues/:index')
  @ApiCaptionLanguage()
  @Roles(...WRITERS)
  @ApiOkResponse({ type: CaptionTrackDto, description: 'The cue at `index` (0-based) changed, saved as a new version.' })
  @ApiConflictResponse({ type: ErrorResponseDto })
  changeCue(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('language', language) lang: CaptionLanguage,
    @Param('index', whole) index: number,
    @Body() body: ChangeCueDto,
    @ReqContext() context: RequestContext,
  ): Promise<CaptionTrackDto> {
    return this.captions.changeCue(actor, id, lang, index, body, context);
  }

  @Post(':language/import')
  @ApiCaptionLanguage()
  @Roles(...WRITERS)
  @UseInterceptors(CaptionFileInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: CaptionImportDto })
  @ApiOkResponse({ type: CaptionTrackDto, description: 'The file replaced the captions, as a new version.' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto })
  import(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('language', language) lang: CaptionLanguage,
    @UploadedFile() file: CaptionUpload | undefined,
    @ReqContext() context: RequestContext,
  ): Promise<CaptionTrackDto> {
    return this.captions.import(actor, id, lang, file, context);
  }

  @Get(':language/versions')
  @ApiCaptionLanguage()
  @AnyRole()
  @ApiOkResponse({ type: [CaptionVersionDto], description: 'Newest first.' })
  versions(@CurrentUser() viewer: AuthUser, @Param('id', uuid) id: string, @Param('language', language) lang: CaptionLanguage): Promise<CaptionVersionDto[]> {
    return this.captions.versionList(viewer, id, lang);
  }

  @Post(':language/versions/:version/restore')
  @ApiCaptionLanguage()
  @Roles(...WRITERS)
  @ApiOkResponse({ type: CaptionTrackDto, description: 'That version’s cues are current again, saved as a new version.' })
  restore(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuid) id: string,
    @Param('language', language) lang: CaptionLanguage,
    @Param('version', whole) version: number,
    @ReqContext() context: RequestContext,
  ): Promise<CaptionTrackDto> {
    return this.captions.restore(actor, id, lang, version, context);
  }

  @Get(':language/export')
  @ApiCaptionLanguage()
  @AnyRole()
  @ApiProduces('application/x-subrip', 'text/vtt', 'text/x-ssa')
  @ApiOkResponse({ description: 'The caption file, as an attachment named `<testimony id>.<locale>.<format>`.' })
  async export(
    @CurrentUser() viewer: AuthUser,
    @Param('id', uuid) id: string,
    @Param('language', language) lang: CaptionLanguage,
    @Query() query: CaptionExportQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.captions.export(viewer, id, lang, query.format);
    return new StreamableFile(Buffer.from(file.body, 'utf8'), { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` });
  }
}
