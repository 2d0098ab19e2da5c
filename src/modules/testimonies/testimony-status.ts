/**
 * Where a testimony is in its life, from upload to an editor's decision. Publishing is not here: each
 * publication is a row of its own with its own states, so the Page's side can grow without touching
 * this type. A withdrawn consent stops an item from any state: the person on camera comes first.
 */
export enum TestimonyStatus {
  Uploading = 'uploading',
  Processing = 'processing',
  ProcessingFailed = 'processing_failed',
  InReview = 'in_review',
  ChangesRequested = 'changes_requested',
  Approved = 'approved',
  Rejected = 'rejected',
  Withdrawn = 'withdrawn',
}

export enum MediaKind {
  Video = 'video',
  Photo = 'photo',
}

export type ContentLanguage = 'km' | 'en' | 'th';
export const CONTENT_LANGUAGES: readonly ContentLanguage[] = ['km', 'en', 'th'];

const S = TestimonyStatus;
const ALL = Object.values(TestimonyStatus);

/**
 * Every move an item can make, named by the audit action it writes. The lifecycle service refuses any
 * other move, so this table is the whole truth about how an item's status changes.
 */
export const TESTIMONY_MOVES = {
  /** The original is in S3 and its processing job is being queued. */
  'testimony.handed_over': { from: [S.Uploading], to: S.Processing },
  /** The queue refused the job: back to `uploading`, where the sweep tries the hand-over again. */
  'testimony.hand_over_undone': { from: [S.Processing], to: S.Uploading },
  'testimony.reprocess_requested': { from: [S.Processing, S.ProcessingFailed, S.InReview, S.ChangesRequested, S.Approved], to: S.Processing },
  /** The queue refused a re-processing job: the item goes back to where it was (the move names it). */
  'testimony.reprocess_undone': { from: [S.Processing], to: [S.ProcessingFailed, S.InReview, S.ChangesRequested, S.Approved] },
  'testimony.processed': { from: [S.Processing], to: S.InReview },
  'testimony.processing_failed': { from: [S.Processing], to: S.ProcessingFailed },
  /**
   * A transcoded video reaches review with its light review copy; its publish rendition, made after, could
   * not be made. It cannot be approved without one, so it fails where people see it and can retry.
   */
  'testimony.publish_rendition_failed': { from: [S.InReview, S.ChangesRequested], to: S.ProcessingFailed },
  'testimony.approved': { from: [S.InReview], to: S.Approved },
  'testimony.changes_requested': { from: [S.InReview], to: S.ChangesRequested },
  'testimony.rejected': { from: [S.InReview], to: S.Rejected },
  /** The educator fixed what was asked without a new file (captions, title) and sends it back. */
  'testimony.resubmitted': { from: [S.ChangesRequested], to: S.InReview },
  /** A corrected file arrives as a new revision of the same item; it is uploaded, then handed over. */
  'testimony.revision_started': { from: [S.ChangesRequested], to: S.Uploading },
  /** What was approved changed (its captions): an editor must look again. */
  'testimony.sent_back_to_review': { from: [S.Approved], to: S.InReview },
  'testimony.withdrawn': { from: ALL.filter((s) => s !== S.Withdrawn), to: S.Withdrawn },
} as const satisfies Record<string, { from: readonly TestimonyStatus[]; to: TestimonyStatus | readonly TestimonyStatus[] }>;

export type TestimonyMove = keyof typeof TESTIMONY_MOVES;

export function movesFrom(status: TestimonyStatus): TestimonyMove[] {
  return (Object.keys(TESTIMONY_MOVES) as TestimonyMove[]).filter((m) => (TESTIMONY_MOVES[m].from as readonly TestimonyStatus[]).includes(status));
}

/** The state a move leads to; a move with several possible ends needs the caller to name one. */
export function targetOf(move: TestimonyMove, wanted?: TestimonyStatus): TestimonyStatus | null {
  const to = TESTIMONY_MOVES[move].to;
  if (typeof to === 'string') return to;
  return wanted && (to as readonly TestimonyStatus[]).includes(wanted) ? wanted : null;
}

export function canMove(move: TestimonyMove, from: TestimonyStatus): boolean {
  return (TESTIMONY_MOVES[move].from as readonly TestimonyStatus[]).includes(from);
}

/** Educators may change or delete their own items only until an editor has decided on them. */
export function isBeforeApproval(status: TestimonyStatus): boolean {
  return [S.Uploading, S.Processing, S.ProcessingFailed, S.InReview, S.ChangesRequested].includes(status);
}
