import { useEffect, useRef } from 'react';
import { useI18n, type MessageKey } from '../i18n';

export type CueAction = 'start' | 'end' | 'split' | 'add';

/**
 * Alt + a letter, matched by the key's place (`code`), not the character it types: with a Khmer
 * keyboard layout the letters are Khmer, and bare letters would type into the caption. These
 * letters clash with no browser shortcut (Alt+D, E, F and the digits do).
 */
const SHORTCUTS: Array<{ action: CueAction; code: string; key: string; label: MessageKey }> = [
  { action: 'start', code: 'KeyI', key: 'I', label: 'cueActionStart' },
  { action: 'end', code: 'KeyO', key: 'O', label: 'cueActionEnd' },
  { action: 'split', code: 'KeyK', key: 'K', label: 'cueActionSplit' },
  { action: 'add', code: 'KeyN', key: 'N', label: 'cueActionAdd' },
];

/** The shortcuts, anywhere on the page (also while typing in a caption). */
export function useCueShortcuts(enabled: boolean, onAct: (action: CueAction) => void): void {
  const latest = useRef(onAct);
  latest.current = onAct;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
      const shortcut = SHORTCUTS.find((s) => s.code === e.code);
      if (!shortcut) return;
      e.preventDefault();
      latest.current(shortcut.action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** The same actions as buttons (phones have no keyboard), each showing its shortcut. */
export function CueActions({ target, onAct, note }: { target: number; onAct(action: CueAction): void; note: string | null }) {
  const { t } = useI18n();
  return (
    <div className="cue-actions" role="group" aria-label={t('cueActionsLabel')} data-testid="cue-actions">
      <p className="cue-actions-target">{target >= 0 ? t('cueActionsFor', { n: target + 1 }) : t('cueActionsNone')}</p>
      <div className="cue-action-buttons">
        {SHORTCUTS.map(({ action, key, label }) => (
          <button
            key={action}
            type="button"
            className="btn btn-secondary"
            onClick={() => onAct(action)}
            disabled={action !== 'add' && target < 0}
            aria-keyshortcuts={`Alt+${key}`}
            data-testid={`cue-action-${action}`}
          >
            <span>{t(label)}</span>
            <kbd aria-hidden="true">Alt+{key}</kbd>
          </button>
        ))}
      </div>
      <p className="hint">{t('shortcutsHint')}</p>
      <div aria-live="polite">{note && <p className="notice notice-warn">{note}</p>}</div>
    </div>
  );
}
