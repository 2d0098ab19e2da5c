import { useId, useState, type FormEvent } from 'react';
import { api, type PageConnectionInput } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { LoadError, Loading } from '../components/Feedback';
import { Field, Notice } from '../components/Review';
import { useI18n } from '../i18n';
import { pageConnectionChanged, usePageConnection } from '../publishing/pageConnection';
import { formatLocal } from '../publishing/phnomPenhTime';

/** The admin connects the campaign's Facebook Page (checked with Facebook), sees its state, disconnects. */
export function PageConnectionPage() {
  const { t, lang } = useI18n();
  const ids = useId();
  const { data: page, error: loadError, loading, reload } = usePageConnection();
  const [form, setForm] = useState<PageConnectionInput>({ pageId: '', token: '', scheduling: 'worker' });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      setNotice(await work());
      pageConnectionChanged();
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const connect = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      unwrap(await api.PUT('/api/admin/page', { body: { ...form, pageId: form.pageId.trim(), token: form.token.trim() } }));
      // The token is never kept in the page once Facebook has it.
      setForm((f) => ({ ...f, token: '' }));
      return t('pageConnectedNotice');
    });
  };
  const disconnect = () => {
    if (!window.confirm(t('pageDisconnectConfirm'))) return;
    void act(async () => {
      unwrap(await api.DELETE('/api/admin/page'));
      return t('pageDisconnected');
    });
  };

  const state =
    page?.state === 'throttled'
      ? t('pageStateThrottled', { time: page.throttledUntil ? formatLocal(page.throttledUntil, lang) : '' })
      : page?.state === 'needs_reconnect'
        ? t('pageStateNeedsReconnect', { reason: page.stateReason ?? '' })
        : t('pageStateWorking');

  return (
    <section data-testid="page-connection">
      <h1 tabIndex={-1}>{t('pageTitle')}</h1>
      {loading && !page && <Loading />}
      {loadError !== undefined && <LoadError error={loadError} onRetry={reload} />}
      {page && (
        <div className="card" data-testid="page-state" data-state={page.connected ? page.state : 'none'}>
          {page.connected ? (
            <>
              <p>
                <strong>{t('pageConnectedTo', { name: page.name ?? '', id: page.pageId ?? '' })}</strong>
              </p>
              <p className="status-line">
                <span className={`badge ${page.state === 'working' ? 'badge-ok' : 'badge-warn'}`}>{state}</span>
              </p>
              {page.simulated && <p className="notice notice-warn">{t('pageSimulated')}</p>}
              <p className="muted">{t('pageSchedulingShown', { mode: t(page.scheduling === 'facebook' ? 'pageSchedulingFacebook' : 'pageSchedulingWorker') })}</p>
              <button type="button" className="btn btn-danger" disabled={busy} onClick={disconnect} data-testid="page-disconnect">
                {t('pageDisconnect')}
              </button>
            </>
          ) : (
            <p className="muted">{t('pageNone')}</p>
          )}
        </div>
      )}
      <Notice ok={notice} error={error} />
      <form className="card" onSubmit={connect} data-testid="page-connect-form">
        <Field label={t('pageIdLabel')} id={`${ids}-id`} hint={t('pageIdHint')}>
          <input id={`${ids}-id`} inputMode="numeric" required pattern="\d{5,30}" value={form.pageId} onChange={(e) => setForm({ ...form, pageId: e.target.value })} data-testid="page-id" />
        </Field>
        <Field label={t('pageTokenLabel')} id={`${ids}-token`} hint={t('pageTokenHint')}>
          <input id={`${ids}-token`} type="password" autoComplete="off" required minLength={20} maxLength={1000} value={form.token} onChange={(e) => setForm({ ...form, token: e.target.value })} data-testid="page-token" />
        </Field>
        <fieldset className="field">
          <legend>{t('pageSchedulingLabel')}</legend>
          {(['worker', 'facebook'] as const).map((mode) => (
            <label key={mode} className="choice">
              <input type="radio" name={`${ids}-scheduling`} checked={form.scheduling === mode} onChange={() => setForm({ ...form, scheduling: mode })} data-testid={`page-scheduling-${mode}`} />
              {t(mode === 'worker' ? 'pageSchedulingWorker' : 'pageSchedulingFacebook')}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="page-connect">
          {t('pageConnect')}
        </button>
      </form>
    </section>
  );
}
