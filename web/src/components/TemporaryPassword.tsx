import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

async function copyText(text: string, fallbackInput: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the old way */
  }
  if (!fallbackInput) return false;
  fallbackInput.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** Shows a one-time temporary password with a copy button. */
export function TemporaryPassword({ username, password, onDone }: { username: string; password: string; onDone(): void }) {
  const { t } = useI18n();
  const inputRef = useRef<HTMLInputElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    boxRef.current?.scrollIntoView({ block: 'center' });
    boxRef.current?.focus();
  }, [password]);

  const copy = async () => setCopyState((await copyText(password, inputRef.current)) ? 'copied' : 'failed');

  return (
    <div className="card temp-password" ref={boxRef} tabIndex={-1} role="region" aria-labelledby="temp-password-title" data-testid="temporary-password">
      <h2 id="temp-password-title">{t('temporaryPasswordTitle', { username })}</h2>
      <p>{t('temporaryPasswordNote')}</p>
      <div className="copy-row">
        <input
          ref={inputRef}
          className="mono"
          readOnly
          value={password}
          aria-label={t('temporaryPasswordTitle', { username })}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="temporary-password-value"
        />
        <button type="button" className="btn btn-primary" onClick={copy}>
          {copyState === 'copied' ? t('copied') : t('copy')}
        </button>
      </div>
      <p className="form-message" aria-live="polite">
        {copyState === 'copied' ? t('copied') : copyState === 'failed' ? t('copyFailed') : ''}
      </p>
      <button type="button" className="btn btn-secondary" onClick={onDone}>
        {t('done')}
      </button>
    </div>
  );
}
