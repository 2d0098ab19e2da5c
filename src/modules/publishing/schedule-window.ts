import { AppError, ErrorCode } from '../../common/errors/app-error';

/** Meta takes scheduled posts from 10 minutes to 30 days ahead; we hold every schedule to the same window. */
export const MIN_AHEAD_MINUTES = 10;
export const MAX_AHEAD_DAYS = 30;

/**
 * Checks a publication time. A time that has passed, or is too close, is refused with a code the web
 * app answers by offering "publish now" instead.
 */
export function checkScheduleTime(at: Date, now = new Date()): void {
  const ahead = at.getTime() - now.getTime();
  if (ahead <= 0) throw AppError.badRequest(ErrorCode.ScheduleInPast, 'This time has already passed. Choose a later time, or publish now.', { at: at.toISOString() });
  if (ahead < MIN_AHEAD_MINUTES * 60_000) {
    throw AppError.badRequest(ErrorCode.ScheduleTooSoon, `Schedule at least ${MIN_AHEAD_MINUTES} minutes ahead, or publish now.`, { minMinutes: MIN_AHEAD_MINUTES });
  }
  if (ahead > MAX_AHEAD_DAYS * 86_400_000) {
    throw AppError.badRequest(ErrorCode.ScheduleTooFar, `Facebook schedules at most ${MAX_AHEAD_DAYS} days ahead. Choose an earlier day.`, { maxDays: MAX_AHEAD_DAYS });
  }
}
