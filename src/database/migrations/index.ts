import { InitialSchema1764460800000 } from './1764460800000-initial-schema';
import { SeedCampaignPlaces1764460800001 } from './1764460800001-seed-campaign-places';
import { UploadsAndProcessing1764547200000 } from './1764547200000-uploads-and-processing';
import { CaptionTracks1764633600000 } from './1764633600000-caption-tracks';
import { CaptionTasks1764720000000 } from './1764720000000-caption-tasks';
import { ReviewAndConsent1764806400000 } from './1764806400000-review-and-consent';
import { Publishing1764892800000 } from './1764892800000-publishing';
import { FailureCodes1764979200000 } from './1764979200000-failure-codes';
import { JobRecoveries1765300000000 } from './1765300000000-job-recoveries';
import { Reach1765400000000 } from './1765400000000-reach';
import { ListOrderIndexes1765600000000 } from './1765600000000-list-order-indexes';
import { ReachFigures1765700000000 } from './1765700000000-reach-figures';

/** In order. Listed by hand so compiled and ts-jest runs find the same migrations without globs. */
export const MIGRATIONS = [
  InitialSchema1764460800000,
  SeedCampaignPlaces1764460800001,
  UploadsAndProcessing1764547200000,
  CaptionTracks1764633600000,
  CaptionTasks1764720000000,
  ReviewAndConsent1764806400000,
  Publishing1764892800000,
  FailureCodes1764979200000,
  JobRecoveries1765300000000,
  Reach1765400000000,
  ListOrderIndexes1765600000000,
  ReachFigures1765700000000,
];
