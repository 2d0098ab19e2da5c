/**
 * Jobs of the publishing queue. Ids come from the publication and its version, so a rescheduled or
 * cancelled publication's old job finds the version moved on and does nothing. `round` tells apart the
 * jobs of one version that wait for a Page to come back, or re-run after a lost answer.
 */
export interface PublishPayload {
  publicationId: string;
  version: number;
}

export interface PublishResult {
  outcome: 'published' | 'handed_to_facebook' | 'stale' | 'not_due' | 'waiting_for_page' | 'failed' | 'unknown' | 'cancelled' | 'busy';
}

export interface TakeDownPayload {
  publicationId: string;
}

export interface TakeDownResult {
  outcome: 'deleted' | 'already_gone' | 'nothing_on_page' | 'stale';
}

export function publishJobId(publicationId: string, version: number, round = 0): string {
  return round === 0 ? `publish-${publicationId}-v${version}` : `publish-${publicationId}-v${version}-r${round}`;
}

/** How long a publish or takedown run that found the publication held by another waits to look again. */
export const BUSY_RETRY_MS = 30_000;

export function takeDownJobId(publicationId: string): string {
  return `takedown-${publicationId}`;
}

/** A takedown keeps trying for weeks (BullMQ's backoff), then starts over: it is never given up on. */
export const TAKEDOWN_ATTEMPTS = 20;

export function takeDownJobOptions(publicationId: string) {
  return { jobId: takeDownJobId(publicationId), attempts: TAKEDOWN_ATTEMPTS };
}
