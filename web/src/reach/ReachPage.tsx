import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { formatNumber, useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';
import { useAsync } from '../useAsync';
import { ReachChart } from './ReachChart';
import { AGE_BANDS, DIMENSIONS, exportUrl, SEXES, type Dimension, type Progress } from './reach-api';

const DIMENSION_LABEL: Record<Dimension, MessageKey> = {
  period: 'reachByPeriod',
  province: 'reachByProvince',
  commune: 'reachByCommune',
  educator: 'reachByEducator',
  language: 'reachByLanguage',
  kind: 'reachByKind',
  item: 'reachByItem',
};

/** The leads' page: progress to the target, where reach happened, and which testimonies carry it. */
export default function ReachPage() {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [by, setBy] = useState<Dimension>('period');
  const range = { from: from || undefined, to: to || undefined };
  const progress = useAsync(async (signal) => unwrap(await api.GET('/api/reach/progress', { params: { query: range }, signal })), [from, to]);
  const breakdown = useAsync(async (signal) => unwrap(await api.GET('/api/reach/breakdown', { params: { query: { ...range, by, granularity: 'month' } }, signal })), [from, to, by]);
  const profile = useAsync(async (signal) => unwrap(await api.GET('/api/reach/offline-profile', { params: { query: range }, signal })), [from, to]);
  const items = useAsync(async (signal) => unwrap(await api.GET('/api/reach/testimonies', { params: { query: { ...range, limit: 10 } }, signal })), [from, to]);
  const n = (value: number | null | undefined) => (value === null || value === undefined ? '—' : formatNumber(value, lang));

  const chart = useMemo(() => {
    const rows = breakdown.data ?? [];
    return {
      labels: rows.map((r) => r.label ?? t('reachWithdrawnItem')),
      series: [
        { label: t('reachOfflinePeople'), values: rows.map((r) => r.offlineUniquePeople), color: '#1f6f50' },
        { label: t('reachOnlineViews'), values: rows.map((r) => r.onlineViews), color: '#8aa4c8' },
      ],
    };
  }, [breakdown.data, t]);

  return (
    <section className="reach">
      <div className="page-head">
        <h1 tabIndex={-1}>{t('reachTitle')}</h1>
        <Link to="/reach/report" className="btn btn-secondary">
          {t('reachMonthlyReport')}
        </Link>
      </div>
      <form className="reach-range" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('reachFrom')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('reachTo')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </form>

      {progress.loading && !progress.data && <Loading />}
      {progress.error !== undefined && <LoadError error={progress.error} onRetry={progress.reload} />}
      {progress.data && <ProgressPanel progress={progress.data} />}

      <h2>{t('reachWhere')}</h2>
      <label className="reach-by">
        {t('reachGroupBy')}{' '}
        <select value={by} onChange={(e) => setBy(e.target.value as Dimension)}>
          {DIMENSIONS.map((d) => (
            <option key={d} value={d}>
              {t(DIMENSION_LABEL[d])}
            </option>
          ))}
        </select>
      </label>
      {breakdown.error !== undefined && <p className="notice notice-error">{errorText(breakdown.error, t)}</p>}
      {breakdown.data && breakdown.data.length > 0 && (
        <>
          <ReachChart kind={by === 'period' ? 'line' : 'bar'} labels={chart.labels} series={chart.series} summary={t('reachChartSummary')} />
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t(DIMENSION_LABEL[by])}</th>
                <th scope="col">{t('reachOfflinePeople')}</th>
                <th scope="col">{t('reachScreenings')}</th>
                <th scope="col">{t('reachOnlineViews')}</th>
                <th scope="col">{t('reachLargestAccounts')}</th>
              </tr>
            </thead>
            <tbody>
              {breakdown.data.map((r) => (
                <tr key={r.key}>
                  <td data-label={t(DIMENSION_LABEL[by])}>{r.label ?? <em>{t('reachWithdrawnItem')}</em>}</td>
                  <td data-label={t('reachOfflinePeople')}>{n(r.offlineUniquePeople)}</td>
                  <td data-label={t('reachScreenings')}>{n(r.screenings)}</td>
                  <td data-label={t('reachOnlineViews')}>{n(r.onlineViews)}</td>
                  <td data-label={t('reachLargestAccounts')}>{n(r.onlineLargestReachAccounts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('reachRowsNotAdded')}</p>
        </>
      )}
      <a className="btn btn-secondary" href={exportUrl('breakdown', { ...range, by })} download>
        {t('reachExportCsv')}
      </a>

      <h2>{t('reachBySexAge')}</h2>
      {profile.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('reachAge')}</th>
              {SEXES.map((s) => (
                <th scope="col" key={s}>
                  {t(`reachSex_${s}` as MessageKey)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {AGE_BANDS.map((band) => (
              <tr key={band}>
                <th scope="row">{band}</th>
                {SEXES.map((s) => (
                  <td key={s} data-label={t(`reachSex_${s}` as MessageKey)}>
                    {n(profile.data!.find((c) => c.sex === s && c.ageBand === band)?.uniquePeople ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <a className="btn btn-secondary" href={exportUrl('offline-profile', range)} download>
        {t('reachExportCsv')}
      </a>

      <h2>{t('reachTopTestimonies')}</h2>
      {items.data && (
        <ul className="reach-items">
          {items.data.map((item) => (
            <li key={item.testimonyId}>
              {item.thumbnailUrl ? <img src={item.thumbnailUrl} alt="" width={64} height={64} loading="lazy" /> : <span className="reach-thumb-empty" aria-hidden="true" />}
              <div>
                <p>{item.withdrawn ? <em>{t('reachWithdrawnItem')}</em> : <Link to={`/testimonies/${item.testimonyId}`}>{item.title}</Link>}</p>
                <p className="sub">
                  {t('reachItemFigures', { accounts: n(item.onlineReachAccounts), screenings: n(item.screenings), people: n(item.offlineUniquePeople) })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <a className="btn btn-secondary" href={exportUrl('testimonies', range)} download>
        {t('reachExportCsv')}
      </a>
      <a className="btn btn-secondary" href={exportUrl('screenings', range)} download>
        {t('reachExportScreenings')}
      </a>
      <UnverifiedScreenings />
    </section>
  );
}

/** The main bar is verified unique people; the online estimate stands beside it, never added to it. */
export function ProgressPanel({ progress }: { progress: Progress }) {
  const { t, lang } = useI18n();
  const { offline, online, target } = progress;
  const share = Math.min(100, (offline.uniquePeople / target) * 100);
  return (
    <div className="reach-progress">
      <p className="reach-main">
        <strong>{formatNumber(offline.uniquePeople, lang)}</strong> / {formatNumber(target, lang)} {t('reachPeople')}
      </p>
      <div className="reach-bar" role="progressbar" aria-valuemin={0} aria-valuemax={target} aria-valuenow={offline.uniquePeople} aria-label={t('reachVerifiedPeople')}>
        <span style={{ width: `${share}%` }} />
      </div>
      <details>
        <summary>{t('reachHowCounted')}</summary>
        <p lang="en">{offline.method}</p>
        <p>
          {t('reachRepeats', { n: formatNumber(offline.repeatAttendances, lang) })} {t('reachOpenHeadcount', { n: formatNumber(offline.openScreeningHeadcount, lang) })}{' '}
          {t('reachAwaiting', { n: formatNumber(offline.awaitingVerification.people, lang) })}
        </p>
      </details>
      <p className="reach-estimate">
        {t('reachOnlineEstimate')}: <strong>{online.estimateAccounts === null ? '—' : formatNumber(online.estimateAccounts, lang)}</strong> {t('reachAccountsNotPeople')}
      </p>
      <details>
        <summary>{t('reachHowEstimated')}</summary>
        <p lang="en">{online.method}</p>
      </details>
      {progress.refusedMetrics.length > 0 && (
        <p className="notice notice-warn">
          {t('reachRefusedMetrics')} <code>{progress.refusedMetrics.map((m) => m.metric).join(', ')}</code>
        </p>
      )}
    </div>
  );
}

/** Screenings waiting for a lead; the API refuses a lead's own. */
function UnverifiedScreenings() {
  const { t } = useI18n();
  const list = useAsync(async (signal) => unwrap(await api.GET('/api/screenings', { params: { query: { unverified: true } }, signal })), []);
  const [problem, setProblem] = useState<string | null>(null);
  if (!list.data || list.data.length === 0) return null;
  const verify = async (id: string) => {
    setProblem(null);
    try {
      unwrap(await api.POST('/api/screenings/{id}/verify', { params: { path: { id } } }));
      list.reload();
    } catch (error) {
      setProblem(errorText(error, t));
    }
  };
  return (
    <>
      <h2>{t('reachToVerify')}</h2>
      {problem && <p className="notice notice-error">{problem}</p>}
      <ul className="reach-items">
        {list.data.map((s) => (
          <li key={s.id}>
            <div>
              <p>
                {s.heldOn} · {s.groupName} · {s.countsOnly ? t('reachHeadcountOnly', { n: s.headcount }) : t('reachRegister', { n: s.headcount })}
              </p>
              {s.duplicateOf && <p className="badge badge-warn">{t('reachPossibleDuplicate')}</p>}
            </div>
            <button type="button" className="btn btn-primary" onClick={() => void verify(s.id)}>
              {t('reachVerify')}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
