import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import type { ConsentInput } from '../api/client';
import { ProgressBar } from '../components/Media';
import { formatBytes, useI18n } from '../i18n';
import {
  attachConsent,
  bytesSent,
  connectionType,
  outboxItems,
  outboxVersion,
  removeFromOutbox,
  setWifiOnly,
  subscribeOutbox,
  wifiOnly,
  type OutboxItem,
} from './outbox';

// The consent form is the review page's; fetched only when a consent is recorded with no signal.
const ConsentForm = lazy(() => import('../components/Review').then((m) => ({ default: m.ConsentForm })));

/** What waits on the phone to be sent: each item's state, progress and size, and a way to remove it. */
export function OutboxList({ justKept, onConsentDone }: { justKept: string | null; onConsentDone(): void }) {
  const { t, lang } = useI18n();
  useSyncExternalStore(subscribeOutbox, outboxVersion);
  const items = outboxItems();
  if (items.length === 0) return null;
  const waitingBytes = items.reduce((sum, item) => sum + item.file.size - bytesSent(item.id), 0);

  return (
    <section className="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title">{t('outboxTitle')}</h2>
      <p className="hint">{t('outboxHint', { size: formatBytes(waitingBytes, lang) })}</p>
      {connectionType() !== null && (
        <label className="choice">
          <input type="checkbox" checked={wifiOnly()} onChange={(e) => setWifiOnly(e.target.checked)} data-testid="outbox-wifi-only" />
          {t('outboxWifiOnly')}
        </label>
      )}
      <ul className="outbox-items">
        {items.map((item) => (
          <OutboxEntry key={item.id} item={item} recordConsent={item.id === justKept && !item.consent} onConsentDone={onConsentDone} />
        ))}
      </ul>
    </section>
  );
}

function OutboxEntry({ item, recordConsent, onConsentDone }: { item: OutboxItem; recordConsent: boolean; onConsentDone(): void }) {
  const { t, lang } = useI18n();
  const [consentOpen, setConsentOpen] = useState(false);
  const sent = bytesSent(item.id);
  const state = item.state === 'failed' ? t('outboxFailed') : item.state === 'sending' ? t('outboxSending') : t('outboxWaiting');

  const keepConsent = (consent: ConsentInput) => {
    void attachConsent(item.id, consent).then(() => {
      setConsentOpen(false);
      onConsentDone();
    });
  };

  return (
    <li className="outbox-item" data-testid="outbox-item" data-state={item.state}>
      <p>
        <strong>{item.fields.title}</strong>
        <span className="sub">
          {' '}
          · {item.kind === 'video' ? t('kindVideo') : t('kindPhoto')} · {formatBytes(item.file.size, lang)}
          {item.consent && ` · ${t('outboxWithConsent')}`}
        </span>
      </p>
      <p className="sub" data-testid="outbox-item-state">
        {state}
      </p>
      {item.error && <p className="notice notice-error">{item.error}</p>}
      <ProgressBar value={item.file.size > 0 ? sent / item.file.size : 0} label={`${formatBytes(sent, lang)} / ${formatBytes(item.file.size, lang)}`} />
      {!item.testimonyId && (
        <button type="button" className="btn btn-secondary" onClick={() => void removeFromOutbox(item.id)} data-testid="outbox-remove">
          {t('outboxRemove')}
        </button>
      )}
      {recordConsent && !consentOpen && (
        <button type="button" className="btn btn-primary" onClick={() => setConsentOpen(true)} data-testid="outbox-record-consent">
          {t('outboxRecordConsent')}
        </button>
      )}
      {consentOpen && (
        <Suspense fallback={null}>
          <ConsentForm testimonyId="" onCapture={keepConsent} onSaved={() => undefined} onCancel={() => setConsentOpen(false)} />
        </Suspense>
      )}
    </li>
  );
}
