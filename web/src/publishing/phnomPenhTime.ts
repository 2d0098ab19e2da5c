import { khmerDigits, type Lang } from '../i18n';

/**
 * Publication times are entered and shown in Phnom Penh, whatever zone the phone or laptop is set to:
 * an editor abroad must see the hour the audience will. Cambodia keeps +07:00 all year (no summer time).
 */
export const ZONE = 'Asia/Phnom_Penh';
const OFFSET = '+07:00';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `{ date: '2026-12-01', time: '19:00' }` in Phnom Penh, for date and time inputs and calendar days. */
export function localParts(iso: string): { date: string; time: string } {
  const p = Object.fromEntries(parts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** What the API takes: the Phnom Penh wall time with its zone, e.g. 2026-12-01T19:00:00+07:00. */
export function toApiTime(date: string, time: string): string {
  return `${date}T${time}:00${OFFSET}`;
}

export function todayInPhnomPenh(): string {
  return localParts(new Date().toISOString()).date;
}

const KHMER_MONTHS = ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1 Dec 2026" / "១ ធ្នូ ២០២៦" for a YYYY-MM-DD day (formatted by hand: phones often lack Khmer Intl data). */
export function formatDay(day: string, lang: Lang, withYear = true): string {
  const [y, m = 1, d] = day.split('-').map(Number);
  const month = (lang === 'km' ? KHMER_MONTHS : EN_MONTHS)[m - 1];
  const text = `${d} ${month}${withYear ? ` ${y}` : ''}`;
  return lang === 'km' ? khmerDigits(text) : text;
}

export function formatClock(time: string, lang: Lang): string {
  return lang === 'km' ? khmerDigits(time) : time;
}

/** "1 Dec 2026, 19:00" in Phnom Penh. */
export function formatLocal(iso: string, lang: Lang): string {
  const { date, time } = localParts(iso);
  return `${formatDay(date, lang)}${lang === 'km' ? ' ម៉ោង ' : ', '}${formatClock(time, lang)}`;
}

/** Calendar arithmetic on YYYY-MM-DD days (in UTC, so no zone of the device can shift them). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week holding `day`. */
export function weekStart(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day: string, n: number): string {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/** Weekday index 0 (Monday) to 6. */
export function weekday(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}
