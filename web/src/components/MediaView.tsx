import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Rendition, TestimonyDetail } from '../api/client';
import { useI18n } from '../i18n';
import { placeholderUrl } from './Media';

/** Refetch the item this long before its presigned media links expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;

export function pickRendition(renditions: Rendition[] | undefined, ...roles: string[]): Rendition | undefined {
  for (const role of roles) {
    const found = renditions?.filter((r) => r.role === role) ?? [];
    // Several variants (sizes): the smallest is enough for a phone screen.
    found.sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
    if (found[0]) return found[0];
  }
  return undefined;
}

/** Presigned links are short-lived: fetch fresh ones shortly before they expire. */
export function useFreshMediaLinks(item: TestimonyDetail | undefined, reload: () => void): void {
  useEffect(() => {
    const expiries = (item?.renditions ?? [])
      .map((r) => (r.urlExpiresAt ? Date.parse(r.urlExpiresAt) : NaN))
      .filter((n) => Number.isFinite(n));
    if (expiries.length === 0) return;
    const wait = Math.max(5_000, Math.min(...expiries) - Date.now() - REFRESH_BEFORE_EXPIRY_MS);
    const timer = setTimeout(reload, Math.min(wait, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [item, reload]);
}

interface MediaViewProps {
  item: TestimonyDetail;
  onExpired(): void;
  /** `<track>` elements for the video. */
  children?: ReactNode;
  videoRef?: RefObject<HTMLVideoElement | null>;
  /** Where the video is, in ms, whenever that changes. */
  onPlayhead?(ms: number): void;
  preload?: 'none' | 'metadata';
}

/**
 * The review player (or the photo). The thumbhash placeholder is painted at
 * once as the frame's background; the poster (or photo) covers it when it
 * arrives. A media error usually means the presigned link expired: fetch the
 * item again (at most every few seconds) and continue from the same moment.
 */
export function MediaView({ item, onExpired, children, videoRef, onPlayhead, preload = 'none' }: MediaViewProps) {
  const { t } = useI18n();
  const bg = useMemo(() => placeholderUrl(item.placeholder), [item.placeholder]);
  const ownRef = useRef<HTMLVideoElement>(null);
  const ref = videoRef ?? ownRef;
  const resumeAt = useRef(0);
  const lastRetry = useRef(0);
  const [failed, setFailed] = useState(false);
  const [imgLoaded, setImgLoaded] = useState(false);

  const isVideo = item.kind === 'video';
  const source = isVideo ? pickRendition(item.renditions, 'review', 'publish') : pickRendition(item.renditions, 'preview', 'review', 'publish');
  const poster = isVideo ? pickRendition(item.renditions, 'poster', 'thumbnail') : undefined;
  const ratio = source?.width && source?.height ? `${source.width} / ${source.height}` : isVideo ? '16 / 9' : '4 / 3';

  // A new presigned URL (refetch) replaces the old one only when that cannot
  // interrupt someone watching: not playing, or the old link already failed.
  const [src, setSrc] = useState(source?.url);
  const needNewUrl = useRef(false);
  useEffect(() => {
    const v = ref.current;
    if (!v || v.paused || v.error || needNewUrl.current) {
      if (v && v.currentTime > 0 && resumeAt.current === 0) resumeAt.current = v.currentTime;
      needNewUrl.current = false;
      setSrc(source?.url);
      setFailed(false);
    }
  }, [source?.url, ref]);

  const onMediaError = () => {
    const now = Date.now();
    if (ref.current) resumeAt.current = ref.current.currentTime;
    needNewUrl.current = true;
    if (now - lastRetry.current > 5_000) {
      lastRetry.current = now;
      onExpired();
    } else {
      setFailed(true);
    }
  };

  const style = { aspectRatio: ratio, ...(bg ? { backgroundImage: `url(${bg})` } : {}) };
  const reportPlayhead = onPlayhead ? (v: HTMLVideoElement) => onPlayhead(Math.round(v.currentTime * 1000)) : undefined;

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
            ref={ref}
            src={src}
            poster={poster?.url}
            controls
            preload={preload}
            playsInline
            aria-label={t('videoOf', { title: item.title })}
            data-testid="review-video"
            onError={onMediaError}
            onTimeUpdate={reportPlayhead && ((e) => reportPlayhead(e.currentTarget))}
            onSeeked={reportPlayhead && ((e) => reportPlayhead(e.currentTarget))}
            onLoadedMetadata={(e) => {
              if (resumeAt.current > 0) {
                e.currentTarget.currentTime = resumeAt.current;
                resumeAt.current = 0;
              }
            }}
          >
            {/* a <source> is not used: its errors don't reach the element's onError */}
            {children}
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
