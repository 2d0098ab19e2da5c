import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MessageKey, Messages } from './en';
import { km } from './km';

export type { MessageKey } from './en';
export type Lang = 'km' | 'en';
export const LANGS: readonly Lang[] = ['km', 'en'];
/** English is fetched when it is chosen: most phones never show it, and it weighs 10 KB on a first load. */
const DICTS: Partial<Record<Lang, Messages>> = { km };

async function loadMessages(lang: Lang): Promise<boolean> {
  if (DICTS[lang]) return true;
  try {
    DICTS[lang] = (await import('./en')).en;
    return true;
  } catch {
    return false; // offline before the app was ever cached: stay in Khmer
  }
}
const STORAGE_KEY = 'migra.lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function isLang(value: unknown): value is Lang {
  return value === 'km' || value === 'en';
}

function readStoredLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    /* storage blocked: fall back to the default */
  }
  return 'km';
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = (DICTS[lang] ?? km)[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, lang) : value;
  });
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (DICTS[readStoredLang()] ? readStoredLang() : 'km'));
  // The language asked for last: a slow English download must not override a later choice.
  const wanted = useRef(lang);

  const show = useCallback((next: Lang) => {
    wanted.current = next;
    void loadMessages(next).then((loaded) => {
      if (loaded && wanted.current === next) setLangState(next);
    });
  }, []);

  const setLang = useCallback(
    (next: Lang) => {
      show(next);
      try {
        window.localStorage.setItem(STORAGE_KEY, next);
      } catch {
        /* ignore */
      }
    },
    [show],
  );

  useEffect(() => show(readStoredLang()), [show]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'appName');
  }, [lang]);

  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

// --- formatting helpers ----------------------------------------------------

const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';
const KHMER_MONTHS = ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'];

/** Latin digits → Khmer digits (០-៩) for Khmer text. */
export function khmerDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => KHMER_DIGITS[Number(d)] ?? d);
}

export function formatNumber(n: number, lang: Lang): string {
  return lang === 'km' ? khmerDigits(String(n)) : String(n);
}

const enDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
const enDateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Dates as people write them. Khmer is formatted by hand ("២៩ វិច្ឆិកា ២០២៦"):
 * many phone browsers ship without Khmer locale data for Intl.
 */
export function formatDate(iso: string | null | undefined, lang: Lang, withTime = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (lang === 'en') return (withTime ? enDateTime : enDate).format(d);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getDate()} ${KHMER_MONTHS[d.getMonth()]} ${d.getFullYear()}`;
  return khmerDigits(withTime ? `${date} ម៉ោង ${pad(d.getHours())}:${pad(d.getMinutes())}` : date);
}

/** Picks `nameKm` or `nameEn` (falling back to the other when empty). */
export function placeName(place: { nameKm: string; nameEn: string } | null | undefined, lang: Lang): string {
  if (!place) return '';
  return (lang === 'km' ? place.nameKm || place.nameEn : place.nameEn || place.nameKm) ?? '';
}

export function districtName(c: { districtKm: string; districtEn: string }, lang: Lang): string {
  return lang === 'km' ? c.districtKm || c.districtEn : c.districtEn || c.districtKm;
}

const ROLE_KEYS = {
  educator: 'roleEducator',
  editor: 'roleEditor',
  lead: 'roleLead',
  admin: 'roleAdmin',
} as const satisfies Record<string, MessageKey>;

export function roleLabel(role: string, t: Translate): string {
  return role in ROLE_KEYS ? t(ROLE_KEYS[role as keyof typeof ROLE_KEYS]) : role;
}

const STATUS_KEYS: Record<string, MessageKey> = {
  draft: 'statusDraft',
  uploading: 'statusUploading',
  uploaded: 'statusUploaded',
  processing: 'statusProcessing',
  ready: 'statusReady',
  in_review: 'statusInReview',
  pending_review: 'statusInReview',
  review: 'statusInReview',
  submitted: 'statusInReview',
  changes_requested: 'statusChangesRequested',
  approved: 'statusApproved',
  rejected: 'statusRejected',
  scheduled: 'statusScheduled',
  published: 'statusPublished',
  failed: 'statusFailed',
  processing_failed: 'statusFailed',
  withdrawn: 'statusWithdrawn',
  archived: 'statusArchived',
};

/** Known testimony statuses get a translated label; unknown ones are shown readably. */
export function statusLabel(status: string, t: Translate): string {
  const key = STATUS_KEYS[status.toLowerCase()];
  return key ? t(key) : status.replace(/[_-]+/g, ' ');
}

export function languageName(code: string, t: Translate): string {
  if (code === 'km') return t('langKmName');
  if (code === 'en') return t('langEnName');
  if (code === 'th') return t('langThName');
  return code;
}

const STATUS_HINTS: Record<string, MessageKey> = {
  uploading: 'statusHintUploading',
  processing: 'statusHintProcessing',
  in_review: 'statusHintInReview',
  changes_requested: 'statusHintChangesRequested',
};

/** One plain sentence about what a status means for the person, when there is one. */
export function statusHint(status: string, t: Translate): string | null {
  const key = STATUS_HINTS[status];
  return key ? t(key) : null;
}

/** "12.3 MB" / "១២.៣ MB": one decimal below 100, none above. */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 || value >= 100 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${lang === 'km' ? khmerDigits(text) : text} ${units[unit]}`;
}

export function formatPercent(fraction: number, lang: Lang): string {
  const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
  return lang === 'km' ? `${khmerDigits(String(pct))}%` : `${pct}%`;
}

/** "3 min 20 s" / "៣ នាទី ២០ វិនាទី". */
export function formatDuration(totalSeconds: number, t: Translate): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return t('secondsOnly', { sec: s });
  if (s < 3600) return t('minutesSeconds', { min: Math.floor(s / 60), sec: s % 60 });
  return t('hoursMinutes', { h: Math.floor(s / 3600), min: Math.floor((s % 3600) / 60) });
}
