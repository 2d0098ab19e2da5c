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

/**
 * SQL: `column` falls within the window's days in Phnom Penh ($1 and $2 are its first and last day).
 * Written as a range on the column itself so the planner can use indexes and estimate rows well.
 */
export function inWindow(column: string): string {
  return `${column} >= ($1::date::timestamp AT TIME ZONE 'Asia/Phnom_Penh') AND ${column} < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Phnom_Penh')`;
}
