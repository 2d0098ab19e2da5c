import { useEffect, useMemo, useRef, useState } from 'react';
import { api, rawRequest, type Rendition, type TestimonyDetail } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { placeholderUrl } from '../components/Media';
import { canDelete, canReprocess, DeleteButton, LIVE_STATUSES, StatusDetails } from '../components/TestimonyParts';
import { districtName, formatDate, formatDuration, languageName, placeName, useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { useUser } from '../session';
import { useAsync } from '../useAsync';
import { usePolling } from './TestimoniesPage';

/** Refetch the item this long before its presigned media links expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;

function pick(renditions: Rendition[] | undefined, ...roles: string[]): Rendition | undefined {
  for (const role of roles) {
    const found = renditions?.filter((r) => r.role === role) ?? [];
    // Several variants (sizes): the smallest is enough for a phone screen.
    found.sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
    if (found[0]) return found[0];
  }
  return undefined;
}

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

  usePolling(!!item && LIVE_STATUSES.includes(item.status), loading, reload);

  // Presigned links are short-lived: fetch fresh ones shortly before they expire.
  useEffect(() => {
    const expiries = (item?.renditions ?? [])
      .map((r) => (r.urlExpiresAt ? Date.parse(r.urlExpiresAt) : NaN))
      .filter((n) => Number.isFinite(n));
    if (expiries.length === 0) return;
    const wait = Math.max(5_000, Math.min(...expiries) - Date.now() - REFRESH_BEFORE_EXPIRY_MS);
    const timer = setTimeout(reload, Math.min(wait, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [item, reload]);

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
  const duration = pick(item.renditions, 'review', 'publish')?.durationMs;

  return (
    <section className="testimony" data-testid="testimony-page" data-status={item.status}>
      <BackLink />
      <h1 tabIndex={-1} lang={item.language} className="testimony-title">
        {item.title}
      </h1>
      <MediaView item={item} onExpired={reload} />
      <div className="card">
        <StatusDetails item={item} />
        <div aria-live="polite">
          {notice && <p className="notice notice-ok">{notice}</p>}
          {actionError && <p className="notice notice-error">{actionError}</p>}
        </div>
        {(canReprocess(user) || canDelete(user, item)) && (
          <div className="button-row item-actions">
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
    </section>
  );
}

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

/**
 * The review player (or the photo). The thumbhash placeholder is painted at
 * once as the frame's background; the poster (or photo) covers it when it
 * arrives. A media error usually means the presigned link expired: fetch the
 * item again (at most every few seconds) and continue from the same moment.
 */
function MediaView({ item, onExpired }: { item: TestimonyDetail; onExpired(): void }) {
  const { t } = useI18n();
  const bg = useMemo(() => placeholderUrl(item.placeholder), [item.placeholder]);
  const videoRef = useRef<HTMLVideoElement>(null);
  const resumeAt = useRef(0);
  const lastRetry = useRef(0);
  const [failed, setFailed] = useState(false);
  const [imgLoaded, setImgLoaded] = useState(false);

  const isVideo = item.kind === 'video';
  const source = isVideo ? pick(item.renditions, 'review', 'publish') : pick(item.renditions, 'preview', 'review', 'publish');
  const poster = isVideo ? pick(item.renditions, 'poster', 'thumbnail') : undefined;
  const ratio = source?.width && source?.height ? `${source.width} / ${source.height}` : isVideo ? '16 / 9' : '4 / 3';

  // A new presigned URL (refetch) replaces the old one only when that cannot
  // interrupt someone watching: not playing, or the old link already failed.
  const [src, setSrc] = useState(source?.url);
  const needNewUrl = useRef(false);
  useEffect(() => {
    const v = videoRef.current;
    if (!v || v.paused || v.error || needNewUrl.current) {
      needNewUrl.current = false;
      setSrc(source?.url);
      setFailed(false);
    }
  }, [source?.url]);

  const onMediaError = () => {
    const now = Date.now();
    if (videoRef.current) resumeAt.current = videoRef.current.currentTime;
    needNewUrl.current = true;
    if (now - lastRetry.current > 5_000) {
      lastRetry.current = now;
      onExpired();
    } else {
      setFailed(true);
    }
  };

  const style = { aspectRatio: ratio, ...(bg ? { backgroundImage: `url(${bg})` } : {}) };

  if (!source) {
    return (
      <div className="media-frame media-empty" style={style} data-testid="media-not-ready">
        <p>{isVideo ? t('mediaNotReady') : t('photoNotReady')}</p>
      </div>
    );
  }
  return (
    <div className="media-block">
      <div className="media-frame" style={style}>
        {isVideo ? (
          <video
            ref={videoRef}
            src={src}
            poster={poster?.url}
            controls
            preload="none"
            playsInline
            aria-label={t('videoOf', { title: item.title })}
            data-testid="review-video"
            onError={onMediaError}
            onLoadedMetadata={(e) => {
              if (resumeAt.current > 0) {
                e.currentTarget.currentTime = resumeAt.current;
                resumeAt.current = 0;
              }
            }}
          >
            {/* a <source> is not used: its errors don't reach the element's onError */}
          </video>
        ) : (
          <img
            src={src}
            alt={t('photoOf', { title: item.title })}
            className={imgLoaded ? 'is-loaded' : undefined}
            decoding="async"
            onLoad={() => setImgLoaded(true)}
            onError={onMediaError}
            data-testid="review-photo"
          />
        )}
      </div>
      {failed && (
        <div className="notice notice-error" role="alert">
          <p>{t('mediaLoadFailed')}</p>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              setFailed(false);
              needNewUrl.current = true;
              lastRetry.current = Date.now();
              onExpired();
            }}
          >
            {t('tryAgain')}
          </button>
        </div>
      )}
    </div>
  );
}
