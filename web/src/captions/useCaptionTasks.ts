import { useState } from 'react';
import { api, type CaptionLanguage, type CaptionTask, type CaptionTaskKind } from '../api/client';
import { unwrap } from '../api/errors';
import { usePolling } from '../pages/TestimoniesPage';
import { useAsync } from '../useAsync';

/** Background work finishes in seconds; looking this often keeps the progress bar moving. */
const POLL_MS = 1500;

const START_PATHS = {
  'speech-segments': '/api/testimonies/{id}/captions/{language}/speech-segments',
  transcript: '/api/testimonies/{id}/captions/{language}/transcript',
  'burn-in': '/api/testimonies/{id}/captions/{language}/burn-in',
} as const satisfies Record<CaptionTaskKind, string>;

export interface CaptionTasks {
  byKind(kind: CaptionTaskKind): CaptionTask | undefined;
  /** Why the last request of a kind was refused, if it was. */
  refusal(kind: CaptionTaskKind): unknown;
  starting(kind: CaptionTaskKind): boolean;
  start(kind: CaptionTaskKind): Promise<void>;
}

export function isActive(task: CaptionTask | undefined): boolean {
  return task?.status === 'queued' || task?.status === 'running';
}

/** The latest task of each kind for one language, polled while any of them is working. */
export function useCaptionTasks(id: string, language: CaptionLanguage): CaptionTasks {
  const { data, loading, reload } = useAsync(
    async (signal) => ({ language, tasks: unwrap(await api.GET('/api/testimonies/{id}/captions/{language}/tasks', { params: { path: { id, language } }, signal })) }),
    [id, language],
  );
  const tasks = data?.language === language ? data.tasks : [];
  // Keyed by language too: a refusal for Khmer says nothing about Thai.
  const [refusals, setRefusals] = useState<Record<string, unknown>>({});
  const [pending, setPending] = useState<CaptionTaskKind | null>(null);
  usePolling(tasks.some(isActive), loading, reload, POLL_MS);

  const start = async (kind: CaptionTaskKind) => {
    setPending(kind);
    setRefusals((r) => ({ ...r, [`${language}/${kind}`]: undefined }));
    try {
      unwrap(await api.POST(START_PATHS[kind], { params: { path: { id, language } } }));
      reload();
    } catch (e) {
      setRefusals((r) => ({ ...r, [`${language}/${kind}`]: e }));
    } finally {
      setPending(null);
    }
  };

  return {
    byKind: (kind) => tasks.find((task) => task.kind === kind),
    refusal: (kind) => refusals[`${language}/${kind}`],
    starting: (kind) => pending === kind,
    start,
  };
}
