import { useState, type DragEvent } from 'react';
import { api, type Publication } from '../api/client';
import { unwrap } from '../api/errors';
import { LoadError, Loading } from '../components/Feedback';
import { Notice } from '../components/Review';
import { useI18n, type MessageKey } from '../i18n';
import { navigate, useLocation } from '../router';
import { useAsync } from '../useAsync';
import { PublicationCard } from '../publishing/PublicationCard';
import { addDays, addMonths, formatClock, formatDay, localParts, monthStart, todayInPhnomPenh, toApiTime, weekday, weekStart } from '../publishing/phnomPenhTime';
import { usePublicationActions } from '../publishing/publicationActions';

type View = 'week' | 'month';
const WEEKDAYS = ['wdMon', 'wdTue', 'wdWed', 'wdThu', 'wdFri', 'wdSat', 'wdSun'] as const satisfies readonly MessageKey[];
const DRAG_TYPE = 'application/x-migra-publication';

/** The days shown: a week from Monday, or the whole weeks holding a month. */
function daysOf(view: View, anchor: string): { first: string; last: string; days: string[] } {
  const first = view === 'week' ? weekStart(anchor) : weekStart(monthStart(anchor));
  const end = view === 'week' ? addDays(first, 6) : addDays(addMonths(anchor, 1), -1);
  const days: string[] = [];
  let d = first;
  for (; d <= end || weekday(d) !== 0; d = addDays(d, 1)) days.push(d);
  return { first, last: addDays(d, -1), days };
}

/** Publications by week or by month in Phnom Penh time; drag one (or "Move" it) to reschedule. */
export function CalendarPage() {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const view: View = query.get('view') === 'month' ? 'month' : 'week';
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(query.get('day') ?? '') ? query.get('day')! : todayInPhnomPenh();
  const { first, last, days } = daysOf(view, anchor);
  const from = toApiTime(first, '00:00');
  const to = toApiTime(addDays(last, 1), '00:00');
  const { data, error, loading, reload } = useAsync(
    async (signal) => unwrap(await api.GET('/api/publications', { params: { query: { from, to } }, signal })),
    [from, to],
  );
  const actions = usePublicationActions(reload);
  const [selected, setSelected] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const go = (next: { view?: View; day?: string }) => navigate(`/calendar?view=${next.view ?? view}&day=${next.day ?? anchor}`, { replace: true });
  const step = (n: number) => go({ day: view === 'week' ? addDays(anchor, 7 * n) : addMonths(anchor, n) });
  const byDay = new Map<string, Publication[]>();
  for (const p of data ?? []) {
    const day = localParts(p.scheduledAt).date;
    byDay.set(day, [...(byDay.get(day) ?? []), p]);
  }
  const chosen = data?.find((p) => p.id === selected);
  const movable = (p: Publication) => p.state === 'scheduled' && !p.handedToFacebook;

  const drop = (day: string) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const p = data?.find((x) => x.id === e.dataTransfer.getData(DRAG_TYPE));
    if (!p || localParts(p.scheduledAt).date === day) return;
    // The same hour on the new day: a drag says which day, the "Move" form also which time.
    void actions.move(p, day, localParts(p.scheduledAt).time);
  };

  const monthLabel = formatDay(monthStart(anchor), lang).replace(/^\S+\s/, '');
  const title = view === 'week' ? `${formatDay(first, lang, false)} – ${formatDay(last, lang)}` : monthLabel;

  return (
    <section data-testid="calendar" data-view={view}>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('calendarTitle')}</h1>
        <div className="lang-switch" role="group">
          {(['week', 'month'] as const).map((v) => (
            <button key={v} type="button" className="lang-btn" aria-pressed={view === v} onClick={() => go({ view: v })} data-testid={`calendar-${v}`}>
              {t(v === 'week' ? 'calendarWeek' : 'calendarMonth')}
            </button>
          ))}
        </div>
      </div>
      <div className="calendar-nav">
        <button type="button" className="btn btn-secondary" onClick={() => step(-1)} data-testid="calendar-prev">
          ‹ {t('calendarPrev')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => go({ day: todayInPhnomPenh() })}>
          {t('calendarToday')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => step(1)} data-testid="calendar-next">
          {t('calendarNext')} ›
        </button>
      </div>
      <p className="calendar-range" aria-live="polite">
        <strong>{title}</strong> <span className="muted">{t('calendarZone')}</span>
      </p>
      <p className="hint">{t('calendarDragHint')}</p>
      <Notice ok={actions.notice} error={actions.error} />
      {loading && !data && <Loading />}
      {error !== undefined && <LoadError error={error} onRetry={reload} />}
      <ol className={`calendar calendar-${view}`}>
        {view === 'month' &&
          WEEKDAYS.map((wd) => (
            <li key={wd} className="calendar-weekday" aria-hidden="true">
              {t(wd)}
            </li>
          ))}
        {days.map((day) => {
          const entries = byDay.get(day) ?? [];
          const outside = view === 'month' && day.slice(0, 7) !== anchor.slice(0, 7);
          return (
            <li
              key={day}
              className={`calendar-day${outside ? ' outside' : ''}${over === day ? ' drop-target' : ''}${day === todayInPhnomPenh() ? ' today' : ''}`}
              data-testid="calendar-day"
              data-day={day}
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                setOver(day);
              }}
              onDragLeave={() => setOver((d) => (d === day ? null : d))}
              onDrop={drop(day)}
            >
              <p className="calendar-date">
                {view === 'week' && <span>{t(WEEKDAYS[weekday(day)] ?? 'wdMon')} </span>}
                {view === 'week' ? formatDay(day, lang, false) : formatClock(String(Number(day.slice(8))), lang)}
              </p>
              <ul className="calendar-entries">
                {entries.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className={`calendar-entry state-${p.state}`}
                      draggable={movable(p)}
                      aria-pressed={selected === p.id}
                      onClick={() => setSelected((s) => (s === p.id ? null : p.id))}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_TYPE, p.id);
                        e.dataTransfer.effectAllowed = 'move';
                        setDragging(p.id);
                      }}
                      onDragEnd={() => setDragging(null)}
                      data-testid="calendar-entry"
                      data-id={p.id}
                      data-state={p.state}
                    >
                      <span className="calendar-time">{formatClock(localParts(p.scheduledAt).time, lang)}</span> <span className="calendar-title">{p.title}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
      {data && data.length === 0 && <p className="muted">{t('calendarEmpty')}</p>}
      {chosen && (
        <ul className="publication-list" data-testid="calendar-selected">
          <PublicationCard p={chosen} actions={actions} />
        </ul>
      )}
    </section>
  );
}
