/**
 * The one job that turns an uploaded original into what reviewers and the Page need. Its BullMQ job id
 * is `process-<testimonyId>-<generation>`, so adding it twice for the same request is a no-op, and a
 * re-process request (a new generation) is a new job.
 */
export interface ProcessTestimonyPayload {
  testimonyId: string;
  generation: number;
}

export interface ProcessTestimonyResult {
  testimonyId: string;
  /** 'done', or 'stale' when a newer request superseded this one before it ran. */
  outcome: 'done' | 'stale';
}

export interface ReviewRenditionResult {
  outcome: 'done' | 'stale';
}

/** The light review copy of a remuxed video, made after the item reached review; one per generation. */
export function reviewRenditionJobId(testimonyId: string, generation: number): string {
  return `review-${testimonyId}-${generation}`;
}

export function processTestimonyJobId(testimonyId: string, generation: number): string {
  return `process-${testimonyId}-${generation}`;
}
