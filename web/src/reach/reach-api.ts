import type { paths } from '../api/schema';

type Ok<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never;

export type Progress = Ok<'/api/reach/progress'>;
export type BreakdownRow = Ok<'/api/reach/breakdown'>[number];
export type ProfileRow = Ok<'/api/reach/offline-profile'>[number];
export type TestimonyReach = Ok<'/api/reach/testimonies'>[number];
export type Screening = Ok<'/api/screenings'>[number];
export type Dimension = BreakdownRow extends never ? never : 'period' | 'province' | 'commune' | 'educator' | 'language' | 'kind' | 'item';
export const DIMENSIONS: readonly Dimension[] = ['period', 'province', 'commune', 'educator', 'language', 'kind', 'item'];
export const SEXES = ['female', 'male', 'other'] as const;
export const AGE_BANDS = ['0-14', '15-17', '18-24', '25-34', '35-49', '50+'] as const;

/** A CSV export's address: a plain link, so the browser streams it to a file. */
export function exportUrl(table: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
  return `/api/reach/export/${table}?${params.toString()}`;
}
