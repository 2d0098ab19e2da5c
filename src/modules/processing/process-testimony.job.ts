/**
 * The job that turns an uploaded original into what reviewers need, and sends the item to review; the
 * rendition it did not make (see VideoOutputs) follows from a second job. Every one of these jobs has a
 * BullMQ id made of the item and its processing generation, so adding it twice for the same request is a
 * no-op, and a re-process request (a new generation) is a new job while the old one finds itself stale.
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

/** A rendition made after the item reached review: 'stale' when the item moved on and nobody wants it. */
export interface LateRenditionResult {
  outcome: 'done' | 'stale';
}

/** The light review copy of a remuxed video, made after the item reached review; one per generation. */
export function reviewRenditionJobId(testimonyId: string, generation: number): string {
  return `review-${testimonyId}-${generation}`;
}

/** The publish rendition of a transcoded video, made after the item reached review; one per generation. */
export function publishRenditionJobId(testimonyId: string, generation: number): string {
  return `publish-${testimonyId}-${generation}`;
}

export function processTestimonyJobId(testimonyId: string, generation: number): string {
  return `process-${testimonyId}-${generation}`;
}
