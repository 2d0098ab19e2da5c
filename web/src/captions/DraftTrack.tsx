import { useEffect, useRef, useState } from 'react';
import type { CaptionLanguage, Cue } from '../api/client';
import { languageName, useI18n } from '../i18n';
import { toVtt } from './cues';

/** Typing changes the cues on every key: the player's captions are rebuilt once it pauses. */
const REBUILD_AFTER_MS = 300;

/**
 * The cues on screen, saved or not, as the player's captions. A blob: URL rather than the
 * server's presigned .vtt, which is cross-origin and would be blocked without CORS.
 */
export function DraftTrack({ cues, language }: { cues: Cue[]; language: CaptionLanguage }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const ref = useRef<HTMLTrackElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setUrl(URL.createObjectURL(new Blob([toVtt(cues)], { type: 'text/vtt' }))), REBUILD_AFTER_MS);
    return () => clearTimeout(timer);
  }, [cues]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  // The HTML spec applies `default` once per video load, so a rebuilt track might stay hidden: show it.
  useEffect(() => {
    if (ref.current) ref.current.track.mode = 'showing';
  }, [url]);

  if (!url) return null;
  return <track key={url} ref={ref} kind="captions" src={url} srcLang={language} label={languageName(language, t)} default data-testid="draft-track" />;
}
