import { ErrorCode } from '../../common/errors/app-error';
import { Controller, Delete, Head, HttpCode, HttpStatus, Inject, Param, Patch, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Roles } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { PhotoFileInterceptor, StagedPhoto } from './photo-file.interceptor';
import { removeStaged } from './staged-media';
import { uploadError } from './upload-errors';
import { UploadFinisher } from './upload-finisher';
import { UploadIntakeService } from './upload-intake';
import { TESTIMONY_ID_HEADER, TusUploads } from './tus-uploads.service';

export class AcceptedUploadDto {
  @ApiProperty({ format: 'uuid' })
  testimonyId: string;

  @ApiProperty({ description: 'True when you had already uploaded these exact bytes: the existing item is returned.' })
  duplicate: boolean;
}

const TUS_NOTE =
  `tus 1.0.0 (creation, expiration, termination). Upload-Metadata keys: filename, filetype, title, description, ` +
  `language (km|en|th), communeId (optional), kind (video|photo), consent (must be "true"). The response that ` +
  `completes the upload carries the testimony id in ${TESTIMONY_ID_HEADER}.`;

/**
 * Educators upload; admins may upload on an educator's behalf. Editors and leads review, they do not upload.
 * The tus routes hand the raw request to the tus server, which answers by itself.
 */
@ApiTags('uploads')
@Controller('uploads')
@Roles(Role.Educator, Role.Admin)
export class UploadsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tus: TusUploads,
    private readonly intake: UploadIntakeService,
    private readonly finisher: UploadFinisher,
  ) {}

  @Post('tus')
  @ApiOperation({ summary: 'Start a resumable upload', description: TUS_NOTE })
  create(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @Head('tus/:id')
  @ApiOperation({
    summary: 'How much of a resumable upload the server has (Upload-Offset)',
    description: `Once the upload has become an item, the whole length and the item's id in ${TESTIMONY_ID_HEADER}.`,
  })
  offset(@Req() req: Request, @Res() res: Response, @CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.tus.offset(req, res, user, id);
  }

  @Patch('tus/:id')
  @ApiOperation({ summary: 'Send the next bytes of a resumable upload' })
  append(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @Delete('tus/:id')
  @ApiOperation({ summary: 'Cancel a resumable upload' })
  cancel(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @Post('photo')
  @HttpCode(HttpStatus.CREATED)
  @UseInterceptors(PhotoFileInterceptor)
  @ApiOperation({ summary: 'Upload a small photo in one request', description: 'multipart/form-data: file, plus the same fields as the tus metadata.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'title', 'language', 'consent'],
      properties: {
        file: { type: 'string', format: 'binary' },
        title: { type: 'string', maxLength: 200 },
        description: { type: 'string' },
        language: { type: 'string', enum: ['km', 'en', 'th'] },
        communeId: { type: 'string', format: 'uuid' },
        kind: { type: 'string', enum: ['photo'], default: 'photo' },
        consent: { type: 'string', enum: ['true'] },
        filename: { type: 'string' },
      },
    },
  })
  @ApiCreatedResponse({ type: AcceptedUploadDto })
  async photo(@CurrentUser() user: AuthUser, @Req() req: Request & { file?: StagedPhoto }): Promise<AcceptedUploadDto> {
    const file = req.file;
    if (!file) throw uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UploadInvalidDetails, 'Attach the photo in the "file" field.');
    const fields = req.body as Record<string, string | undefined>;
    try {
      const intake = await this.intake.check(user, file.filename, { kind: 'photo', filename: file.originalname, ...fields });
      return await this.finisher.accept(intake);
    } catch (error) {
      await removeStaged(this.config.uploads.stagingDir, file.filename);
      throw error;
    }
  }
}
