import { useRef, useState } from 'react';
import { api, type CaptionLanguage, type CaptionTrack, type Cue } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import { useAsync } from '../useAsync';
import { sameCues } from './cues';

/** The saved captions of one language; `track` is null while the language has none. */
interface Saved {
  language: CaptionLanguage;
  track: CaptionTrack | null;
}

export interface CaptionDraft {
  /** False while the language's saved captions are loading. */
  ready: boolean;
  loadError: unknown;
  reload(): void;
  track: CaptionTrack | null;
  /** The cues on screen, saved or not. */
  cues: Cue[];
  dirty: boolean;
  edit(change: (cues: Cue[]) => Cue[]): void;
  /** A new saved version from the server (import, restore, machine transcript); unsaved edits are dropped. */
  accept(track: CaptionTrack): void;
  /** PUT the cues on screen. `overwrite` saves over a newer version someone else made. */
  save(options?: { overwrite?: boolean }): Promise<CaptionTrack>;
}

/** One empty list, so "no cues" keeps its identity from render to render. */
const NO_CUES: Cue[] = [];

async function fetchTrack(id: string, language: CaptionLanguage, signal?: AbortSignal): Promise<CaptionTrack | null> {
  try {
    return unwrap(await api.GET('/api/testimonies/{id}/captions/{language}', { params: { path: { id, language } }, signal }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** One language's captions being edited: what is saved, what is on screen, and saving it. */
export function useCaptionDraft(id: string, language: CaptionLanguage): CaptionDraft {
  const saved = useAsync<Saved>(async (signal) => ({ language, track: await fetchTrack(id, language, signal) }), [id, language]);
  // Until the new language arrives, the previous one's captions are not this language's.
  const current = saved.data?.language === language ? saved.data : undefined;
  // Edits belong to the saved version they were made on: a new one (or another language) starts clean.
  const [edits, setEdits] = useState<{ base: Saved; cues: Cue[] } | null>(null);
  const savedCues = current?.track?.cues ?? NO_CUES;
  const cues = current && edits?.base === current ? edits.cues : savedCues;
  const latest = useRef(cues);
  latest.current = cues;

  const edit = (change: (cues: Cue[]) => Cue[]) => {
    if (!current) return;
    setEdits((previous) => ({ base: current, cues: change(previous?.base === current ? previous.cues : savedCues) }));
  };

  const accept = (track: CaptionTrack) => saved.setData({ language: track.language, track });

  const save = async ({ overwrite = false } = {}) => {
    const sent = cues;
    const baseVersion = (overwrite ? await fetchTrack(id, language) : current?.track)?.version ?? 0;
    const track = unwrap(
      await api.PUT('/api/testimonies/{id}/captions/{language}', { params: { path: { id, language } }, body: { cues: sent, baseVersion } }),
    );
    const next = { language, track };
    saved.setData(next);
    // Typing went on while the save travelled (weak links are slow): keep it, on top of the new version.
    if (latest.current !== sent) setEdits({ base: next, cues: latest.current });
    return track;
  };

  return {
    ready: !!current,
    loadError: saved.error,
    reload: saved.reload,
    track: current?.track ?? null,
    cues,
    dirty: !sameCues(cues, savedCues),
    edit,
    accept,
    save,
  };
}
