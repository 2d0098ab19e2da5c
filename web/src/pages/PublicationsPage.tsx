import { api, type PublicationState } from '../api/client';
import { unwrap } from '../api/errors';
import { LoadError, Loading } from '../components/Feedback';
import { Notice } from '../components/Review';
import { useI18n, type MessageKey } from '../i18n';
import { navigate, useLocation } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';
import { PublicationCard } from '../publishing/PublicationCard';
import { usePublicationActions } from '../publishing/publicationActions';

const STATES: [PublicationState, MessageKey][] = [
  ['failed', 'pubStateFailed'],
  ['unknown', 'pubStateUnknown'],
  ['scheduled', 'pubStateScheduled'],
  ['publishing', 'pubStatePublishing'],
  ['published', 'pubStatePublished'],
  ['cancelled', 'pubStateCancelled'],
  ['taken_down', 'pubStateTakenDown'],
];

/** Every publication with its state, its post, Meta's error and what to do about it. */
export function PublicationsPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const state = STATES.find(([s]) => s === query.get('state'))?.[0];
  const { data, error, loading, reload } = useAsync(
    async (signal) => unwrap(await api.GET('/api/publications', { params: { query: state ? { state } : {} }, signal })),
    [state],
  );
  const actions = usePublicationActions(reload);
  // Leads follow the publications; editors and admins act on them.
  const user = useUser();
  const canAct = user.role === 'editor' || user.role === 'admin';
  return (
    <section data-testid="publications">
      <h1 tabIndex={-1}>{t('publicationsTitle')}</h1>
      <div className="filters">
        <div className="field field-grow">
          <label htmlFor="publication-state">{t('publicationsState')}</label>
          <select
            id="publication-state"
            value={state ?? ''}
            onChange={(e) => navigate(e.target.value ? `/publications?state=${e.target.value}` : '/publications', { replace: true })}
            data-testid="filter-publication-state"
          >
            <option value="">{t('publicationsAllStates')}</option>
            {STATES.map(([s, label]) => (
              <option key={s} value={s}>
                {t(label)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Notice ok={actions.notice} error={actions.error} />
      {loading && !data && <Loading />}
      {error !== undefined && <LoadError error={error} onRetry={reload} />}
      {data && data.length === 0 && <p className="muted">{t('publicationsNone')}</p>}
      <ul className="publication-list">
        {data?.map((p) => <PublicationCard key={p.id} p={p} actions={canAct ? actions : undefined} />)}
      </ul>
    </section>
  );
}
