import { useRef, useState } from 'react';
import { api, captionFileUrl, rawRequest, type CaptionTrackSummary, type TestimonyDetail } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { MediaView, pickRendition, useFreshMediaLinks } from '../components/MediaView';
import {
  canDecide,
  canWriteReview,
  CommentThread,
  ConsentCard,
  DecisionCard,
  DecisionSummary,
  HistoryCard,
  ResubmitButton,
  WithdrawalForm,
  WithdrawalSteps,
} from '../components/Review';
import { ItemPublications } from '../publishing/ItemPublications';
import { canDelete, canEditCaptions, canReprocess, DeleteButton, LIVE_STATUSES, StatusDetails } from '../components/TestimonyParts';
import { districtName, formatDate, formatDuration, languageName, placeName, useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';
import { usePolling } from './TestimoniesPage';

export function TestimonyPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const user = useUser();
  const { data: item, error, loading, reload } = useAsync(
    async (signal) => unwrap(await api.GET('/api/testimonies/{id}', { params: { path: { id } }, signal })) as TestimonyDetail,
    [id],
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { query } = useLocation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [playheadMs, setPlayheadMs] = useState(0);
  // Bumped after every action on the page, so the history and withdrawal steps show it.
  const [version, setVersion] = useState(0);
  const [withdrawing, setWithdrawing] = useState(false);
  const { data: consents, reload: reloadConsents } = useAsync(
    async (signal) => unwrap(await api.GET('/api/testimonies/{id}/consents', { params: { path: { id } }, signal })),
    [id],
  );
  const { data: withdrawals, loading: withdrawalsLoading, reload: reloadWithdrawals } = useAsync(
    async (signal) => unwrap(await api.GET('/api/testimonies/{id}/withdrawals', { params: { path: { id } }, signal })),
    [id, version],
  );
  const changed = () => {
    setVersion((v) => v + 1);
    reload();
  };
  const seek = (ms: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = ms / 1000;
    video.scrollIntoView({ block: 'nearest' });
    video.focus();
  };

  const isVideo = item?.kind === 'video';
  const { data: captions } = useAsync(
    async (signal) => (isVideo ? unwrap(await api.GET('/api/testimonies/{id}/captions', { params: { path: { id } }, signal })) : []),
    [id, isVideo],
  );

  // A transcoded video is reviewed from its light copy while the Page's copy is still being made.
  const roles = new Set((item?.renditions ?? []).map((r) => r.role));
  const publishPending = isVideo && roles.has('review') && !roles.has('publish');
  usePolling(!!item && (LIVE_STATUSES.includes(item.status) || (publishPending && DECIDABLE.includes(item.status))), loading, reload);
  // The take-down steps run in the background: follow them until all are done.
  usePolling(!!withdrawals?.some((w) => !w.complete), withdrawalsLoading, reloadWithdrawals);
  useFreshMediaLinks(item, reload);

  const reprocess = async () => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await rawRequest('POST', `/api/testimonies/${encodeURIComponent(id)}/reprocess`);
      setNotice(t('reprocessStarted'));
      reload();
    } catch (e) {
      setActionError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (!item) {
    return (
      <section aria-busy={loading}>
        <h1 tabIndex={-1} className={error ? undefined : 'sr-only'}>
          {error ? t('testimoniesTitle') : t('loading')}
        </h1>
        {loading && <Loading />}
        {error !== undefined && <LoadError error={error} onRetry={reload} />}
        <BackLink />
      </section>
    );
  }

  const commune = item.commune;
  const canWithdraw = canWriteReview(user) && item.status !== 'withdrawn';
  const duration = pickRendition(item.renditions, 'review', 'publish')?.durationMs;
  // The item's own language shows first; Khmer is what most of the audience reads.
  const shownCaptions = captions?.some((c) => c.language === item.language) ? item.language : 'km';

  return (
    <section className="testimony" data-testid="testimony-page" data-status={item.status}>
      <BackLink />
      <h1 tabIndex={-1} lang={item.language} className="testimony-title">
        {item.title}
      </h1>
      {/* Editors scrub and comment on moments: knowing the length at once is worth the few bytes. */}
      <MediaView item={item} onExpired={reload} videoRef={videoRef} onPlayhead={setPlayheadMs} preload={canDecide(user) ? 'metadata' : 'none'}>
        {captions?.map((c) => (
          <track
            key={c.language}
            kind="captions"
            src={captionFileUrl(item.id, c.language, 'vtt')}
            srcLang={c.language}
            label={languageName(c.language, t)}
            default={c.language === shownCaptions}
          />
        ))}
      </MediaView>
      <div className="card">
        <StatusDetails item={item} />
        <DecisionSummary decision={item.latestDecision} status={item.status} />
        <div aria-live="polite">
          {notice && <p className="notice notice-ok">{notice}</p>}
          {actionError && <p className="notice notice-error">{actionError}</p>}
        </div>
        {(canReprocess(user) || canDelete(user, item) || item.status === 'changes_requested' || canWithdraw) && (
          <div className="button-row item-actions">
            {item.status === 'changes_requested' && user.role !== 'lead' && (
              <ResubmitButton
                id={item.id}
                onDone={() => {
                  setNotice(t('resubmitted'));
                  changed();
                }}
              />
            )}
            {canWithdraw && !withdrawing && (
              <button type="button" className="btn btn-secondary" onClick={() => setWithdrawing(true)} data-testid="withdraw-item">
                {t('withdrawalRecord')}
              </button>
            )}
            {canReprocess(user) && (
              <button type="button" className="btn btn-secondary" onClick={() => void reprocess()} disabled={busy} data-testid="reprocess">
                {t('processAgain')}
              </button>
            )}
            {canDelete(user, item) && (
              <DeleteButton id={item.id} title={item.title} onDeleted={() => navigate('/testimonies', { replace: true })} />
            )}
          </div>
        )}
      </div>
      {withdrawing && (
        <div className="card">
          <WithdrawalForm
            title={t('withdrawalWhole')}
            send={async (body) => unwrap(await api.POST('/api/testimonies/{id}/withdrawal', { params: { path: { id } }, body }))}
            onCancel={() => setWithdrawing(false)}
            onDone={() => {
              setWithdrawing(false);
              setNotice(t('withdrawalSaved'));
              changed();
            }}
          />
        </div>
      )}
      <WithdrawalSteps withdrawals={withdrawals} />
      <ItemPublications testimonyId={item.id} status={item.status} onChanged={changed} />
      {canDecide(user) && DECIDABLE.includes(item.status) && (
        <DecisionCard
          id={item.id}
          status={item.status}
          consents={consents}
          publishPending={publishPending}
          onDecided={(message, ok) => {
            // Shown by the page: the card goes away once the item is no longer in review.
            setNotice(ok ? message : null);
            setActionError(ok ? null : message);
            changed();
            window.scrollTo(0, 0);
          }}
        />
      )}
      <CommentThread
        id={item.id}
        playheadMs={isVideo ? playheadMs : null}
        onSeek={seek}
        writable={canWriteReview(user) && item.status !== 'withdrawn'}
        onAdded={() => setVersion((v) => v + 1)}
      />
      <ConsentCard
        testimonyId={item.id}
        consents={consents}
        user={user}
        open={query.get('consent') === 'new'}
        onChanged={() => {
          reloadConsents();
          changed();
        }}
      />
      {isVideo && <CaptionsCard id={item.id} tracks={captions} editable={canEditCaptions(user, item)} />}
      <div className="card">
        <dl className="facts">
          <div>
            <dt>{t('description')}</dt>
            <dd className="description" lang={item.language}>
              {item.description || <span className="muted">{t('noDescription')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('colKind')}</dt>
            <dd>
              {item.kind === 'video' ? t('kindVideo') : t('kindPhoto')}
              {duration ? ` · ${formatDuration(duration / 1000, t)}` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('colLanguage')}</dt>
            <dd>{languageName(item.language, t)}</dd>
          </div>
          <div>
            <dt>{t('commune')}</dt>
            <dd>
              {placeName(commune, lang)}
              {commune && 'districtKm' in commune && <span className="sub">{districtName(commune, lang)}</span>}
              {commune?.province && <span className="sub">{placeName(commune.province, lang)}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('colEducator')}</dt>
            <dd>{item.educator?.displayName}</dd>
          </div>
          <div>
            <dt>{t('uploadedOn')}</dt>
            <dd>
              <time dateTime={item.createdAt}>{formatDate(item.createdAt, lang, true)}</time>
            </dd>
          </div>
          <div>
            <dt>{t('consentDeclared')}</dt>
            <dd data-testid="consent-date">
              {item.consentDeclaredAt ? (
                <time dateTime={item.consentDeclaredAt}>{formatDate(item.consentDeclaredAt, lang, true)}</time>
              ) : (
                <span className="muted">{t('consentMissing')}</span>
              )}
            </dd>
          </div>
        </dl>
      </div>
      <HistoryCard id={item.id} version={version} />
    </section>
  );
}

/** Only what waits for review can be decided on. */
const DECIDABLE: readonly string[] = ['in_review'];

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="back">
      <Link to="/testimonies" className="back-link">
        <span aria-hidden="true">‹ </span>
        {t('backToList')}
      </Link>
    </p>
  );
}

/** Which languages have captions, and the way to the caption editor (or viewer). */
function CaptionsCard({ id, tracks, editable }: { id: string; tracks: CaptionTrackSummary[] | undefined; editable: boolean }) {
  const { t } = useI18n();
  return (
    <div className="card" data-testid="captions-card">
      <h2>{t('captionsTitle')}</h2>
      {tracks && (
        <p>
          {tracks.length === 0
            ? t('captionsNone')
            : tracks.map((c) => t('captionsLanguageCount', { language: languageName(c.language, t), count: c.cueCount })).join(' · ')}
        </p>
      )}
      <Link to={`/testimonies/${encodeURIComponent(id)}/captions`} className="btn btn-secondary" data-testid="open-captions">
        {editable ? t('captionsEdit') : t('captionsView')}
      </Link>
    </div>
  );
}
