import { AppError, ErrorCode } from '../../../common/errors/app-error';
import { phnomPenhToday } from '../screenings/screenings.service';

/** A range of days in Phnom Penh, both ends included. */
export interface ReachWindow {
  from: string;
  to: string;
}

/** The asked range, or the campaign so far; a reversed range is refused rather than answered empty. */
export function reachWindow(campaignStart: string, from?: string, to?: string): ReachWindow {
  const window = { from: from ?? campaignStart, to: to ?? phnomPenhToday() };
  if (window.from > window.to) throw AppError.badRequest(ErrorCode.ValidationFailed, `The range starts (${window.from}) after it ends (${window.to}).`);
  return window;
}

/** A published post's day in Phnom Penh, for SQL over `publications p`. */
export const PUBLISHED_DAY = `(p.published_at AT TIME ZONE 'Asia/Phnom_Penh')::date`;
