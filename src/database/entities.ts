import { AuditEvent } from '../modules/audit/audit-event.entity';
import { CaptionTask } from '../modules/captions/tasks/caption-task.entity';
import { CaptionTrackVersion } from '../modules/captions/caption-track-version.entity';
import { CaptionTrack } from '../modules/captions/caption-track.entity';
import { Commune } from '../modules/places/commune.entity';
import { Province } from '../modules/places/province.entity';
import { JobFailure } from '../modules/queues/job-failure.entity';
import { JobRecovery } from '../modules/queues/job-recovery.entity';
import { Asset } from '../modules/testimonies/asset.entity';
import { Testimony } from '../modules/testimonies/testimony.entity';
import { User } from '../modules/users/user.entity';

import { ConsentRecord } from '../modules/consent/consent-record.entity';
import { Withdrawal, WithdrawalStep } from '../modules/consent/withdrawal.entity';
import { FacebookPage } from '../modules/publishing/facebook-page.entity';
import { PublicationAttempt } from '../modules/publishing/publication-attempt.entity';
import { Publication } from '../modules/publishing/publication.entity';
import { Comment } from '../modules/review/comment.entity';
import { Screening, ScreeningAttendance, ScreeningItem } from '../modules/reach/screenings/screening.entity';
import { Decision } from '../modules/review/decision.entity';

/** Listed by hand so the API, the worker, the CLI and the tests all load exactly the same model. */
export const ENTITIES = [Province, Commune, User, Testimony, Asset, AuditEvent, JobFailure, JobRecovery, CaptionTrack, CaptionTrackVersion, CaptionTask, Decision, Comment, ConsentRecord, Withdrawal, WithdrawalStep, FacebookPage, Publication, PublicationAttempt, Screening, ScreeningItem, ScreeningAttendance];
