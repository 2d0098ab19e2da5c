import { useMemo, useState } from 'react';
import { thumbHashToDataURL } from 'thumbhash';
import { formatPercent, statusLabel, useI18n } from '../i18n';

/** Base64 (or base64url) thumbhash → data: URL of a tiny blurred image; null when absent or broken. */
export function placeholderUrl(hash: string | null | undefined): string | null {
  if (!hash) return null;
  try {
    const b64 = hash.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return thumbHashToDataURL(bytes);
  } catch {
    return null;
  }
}

/**
 * Thumbnail that shows the thumbhash placeholder at once (no network), then
 * fades the real image in over it once it has loaded.
 */
export function Thumb({ src, placeholder, kind }: { src?: string | null; placeholder?: string | null; kind: string }) {
  const bg = useMemo(() => placeholderUrl(placeholder), [placeholder]);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <span
      className={`thumb${bg ? '' : ' thumb-empty'}`}
      style={bg ? { backgroundImage: `url(${bg})` } : undefined}
      data-kind={kind}
      aria-hidden="true"
    >
      {src && !failed && (
        <img
          src={src}
          alt=""
          loading="lazy"
          decoding="async"
          className={loaded ? 'is-loaded' : undefined}
          onLoad={() => setLoaded(true)}
          onError={() => setFailed(true)}
        />
      )}
      {kind === 'video' && <span className="thumb-play" />}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge status-${status}`} data-testid="status" data-status={status}>
      {statusLabel(status, t)}
    </span>
  );
}

/** A labelled progress bar; `value` is 0..1. */
export function ProgressBar({ value, label, big = false }: { value: number; label: string; big?: boolean }) {
  const { lang } = useI18n();
  const pct = Math.max(0, Math.min(1, value));
  return (
    <div
      className={`progress${big ? ' progress-big' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.floor(pct * 100)}
      aria-valuetext={formatPercent(pct, lang)}
    >
      <span className="progress-fill" style={{ width: `${pct * 100}%` }} />
    </div>
  );
}
