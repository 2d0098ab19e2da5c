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

/** Listed by hand so the API, the worker, the CLI and the tests all load exactly the same model. */
export const ENTITIES = [Province, Commune, User, Testimony, Asset, AuditEvent, JobFailure, JobRecovery, CaptionTrack, CaptionTrackVersion, CaptionTask];
