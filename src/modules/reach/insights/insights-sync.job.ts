/** The insights sync job: the scheduler's runs carry nothing; follow-ups after a pause carry why. */
export interface InsightsSyncPayload {
  reason?: 'scheduled' | 'after_throttle' | 'more_due';
}

export interface InsightsSyncResult {
  outcome: 'done' | 'no_page' | 'page_waiting' | 'throttled' | 'needs_reconnect' | 'usage_ceiling' | 'more_due' | 'busy';
  objectsSynced: number;
  calls: number;
}
