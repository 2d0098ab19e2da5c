/**
 * Where a testimony is in its life. Publishing is one-way towards the Page, except that a withdrawn
 * consent may stop an item from any state: the safety of the person on camera comes first.
 */
export enum TestimonyStatus {
  Uploading = 'uploading',
  Processing = 'processing',
  ProcessingFailed = 'processing_failed',
  InReview = 'in_review',
  ChangesRequested = 'changes_requested',
  Approved = 'approved',
  Scheduled = 'scheduled',
  Published = 'published',
  Withdrawn = 'withdrawn',
}

export enum MediaKind {
  Video = 'video',
  Photo = 'photo',
}

export type ContentLanguage = 'km' | 'en' | 'th';
export const CONTENT_LANGUAGES: readonly ContentLanguage[] = ['km', 'en', 'th'];

const S = TestimonyStatus;
const NEXT: Record<TestimonyStatus, readonly TestimonyStatus[]> = {
  [S.Uploading]: [S.Processing],
  [S.Processing]: [S.InReview, S.ProcessingFailed],
  [S.ProcessingFailed]: [S.Processing],
  [S.InReview]: [S.Approved, S.ChangesRequested, S.Processing],
  [S.ChangesRequested]: [S.InReview, S.Processing],
  [S.Approved]: [S.Scheduled, S.InReview],
  [S.Scheduled]: [S.Published, S.Approved],
  [S.Published]: [],
  [S.Withdrawn]: [],
};

export function canTransition(from: TestimonyStatus, to: TestimonyStatus): boolean {
  if (to === S.Withdrawn) return from !== S.Withdrawn;
  return NEXT[from].includes(to);
}

/** Educators may change or delete their own items only until an editor has approved them. */
export function isBeforeApproval(status: TestimonyStatus): boolean {
  return [S.Uploading, S.Processing, S.ProcessingFailed, S.InReview, S.ChangesRequested].includes(status);
}
