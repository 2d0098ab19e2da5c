import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { AuthUser } from '../auth/auth-user';
import { TestimoniesService } from '../testimonies/testimonies.service';
import { Testimony } from '../testimonies/testimony.entity';
import { withdrawn } from '../testimonies/testimony-lifecycle.service';
import { isBeforeApproval, MediaKind, TestimonyStatus } from '../testimonies/testimony-status';
import { Role } from '../users/role';

/** Who may read and who may change a testimony's captions (and ask for work on them). */
@Injectable()
export class CaptionAccess {
  constructor(private readonly testimonies: TestimoniesService) {}

  /**
   * Anyone who may see the testimony; someone else's item is a 404, as everywhere. A withdrawn item's
   * captions (they may name the person) and their signed links are for admins only.
   */
  async readable(viewer: AuthUser, testimonyId: string): Promise<Testimony> {
    const testimony = await this.testimonies.get(viewer, testimonyId);
    if (testimony.status === TestimonyStatus.Withdrawn && viewer.role !== Role.Admin) throw withdrawn();
    return testimony;
  }

  /**
   * Editors and admins may always fix captions; the educator who owns the item only until it is
   * approved. Only videos have captions: a photo's words go in its description.
   */
  async writable(actor: AuthUser, testimonyId: string): Promise<Testimony> {
    const testimony = await this.testimonies.get(actor, testimonyId);
    if (testimony.status === TestimonyStatus.Withdrawn) throw withdrawn();
    const allowed =
      actor.role === Role.Editor ||
      actor.role === Role.Admin ||
      (actor.role === Role.Educator && testimony.educatorId === actor.id && isBeforeApproval(testimony.status));
    if (allowed) {
      if (testimony.kind !== MediaKind.Video) throw notAVideo();
      return testimony;
    }
    throw AppError.forbidden(
      actor.role === Role.Educator
        ? 'Educators can change the captions of their own items only until an editor approves them. Ask an editor or an admin to change these.'
        : 'Your role may read captions but not change them. Ask an editor or an admin to change these.',
    );
  }
}

export function notAVideo(): AppError {
  return new AppError(ErrorCode.NotAVideo, 'Captions belong to videos, and this testimony is a photo. Put its words in the description.', HttpStatus.CONFLICT);
}
