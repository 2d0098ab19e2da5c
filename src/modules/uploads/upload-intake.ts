import { ErrorCode } from '../../common/errors/app-error';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuthUser } from '../auth/auth-user';
import { Commune } from '../places/commune.entity';
import { assertDeclaredSize, parseUploadDetails, UploadDetails } from './upload-details';
import {uploadError } from './upload-errors';

/** Everything needed to turn a staged file into a testimony, decided when the upload starts. */
export interface UploadIntake {
  uploadId: string;
  ownerId: string;
  /** For the audit row that records the upload. */
  ownerUsername: string;
  communeId: string;
  consentDeclaredAt: Date;
  details: UploadDetails;
}

/** Checks an upload's details and size before any byte is stored, for both upload routes. */
@Injectable()
export class UploadIntakeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Commune) private readonly communes: Repository<Commune>,
  ) {}

  async check(user: AuthUser, uploadId: string, raw: Record<string, string | null | undefined>, declaredSize?: number): Promise<UploadIntake> {
    const details = parseUploadDetails(raw);
    if (declaredSize !== undefined) assertDeclaredSize(details.kind, declaredSize, this.config.uploads);
    return { uploadId, ownerId: user.id, ownerUsername: user.username, communeId: await this.communeFor(user, details.communeId), consentDeclaredAt: new Date(), details };
  }

  /** The communes table holds exactly the campaign's communes, so "exists" means "in the campaign". */
  private async communeFor(user: AuthUser, chosen: string | null): Promise<string> {
    if (chosen) {
      if (!(await this.communes.existsBy({ id: chosen }))) {
        throw uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UnknownCommune, 'This commune is not part of the campaign. Choose one from the list.');
      }
      return chosen;
    }
    if (user.communeId) return user.communeId;
    throw uploadError(HttpStatus.BAD_REQUEST, ErrorCode.UploadInvalidDetails, 'Choose the commune where this was recorded.');
  }
}
