import { canTransition, isBeforeApproval, TestimonyStatus as S } from './testimony-status';

const ALL = Object.values(S);

/** The lifecycle as the review workflow documents it, written out independently of the implementation. */
const ALLOWED: Array<[S, S]> = [
  [S.Uploading, S.Processing],
  [S.Processing, S.InReview],
  [S.Processing, S.ProcessingFailed],
  [S.ProcessingFailed, S.Processing],
  [S.InReview, S.Approved],
  [S.InReview, S.ChangesRequested],
  [S.InReview, S.Processing],
  [S.ChangesRequested, S.InReview],
  [S.ChangesRequested, S.Processing],
  [S.Approved, S.Scheduled],
  [S.Approved, S.InReview],
  [S.Scheduled, S.Published],
  [S.Scheduled, S.Approved],
  // Withdrawn consent stops an item wherever it is.
  ...ALL.filter((from) => from !== S.Withdrawn).map((from): [S, S] => [from, S.Withdrawn]),
];

const isAllowed = (from: S, to: S): boolean => ALLOWED.some(([f, t]) => f === from && t === to);
const everyPair = ALL.flatMap((from) => ALL.map((to): [S, S] => [from, to]));

describe('testimony lifecycle', () => {
  it('knows all nine states', () => {
    expect(ALL).toHaveLength(9);
  });

  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(everyPair.filter(([from, to]) => !isAllowed(from, to)))('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('lets a withdrawal stop an item from every other state, including after publication', () => {
    for (const from of ALL.filter((s) => s !== S.Withdrawn)) expect(canTransition(from, S.Withdrawn)).toBe(true);
    expect(canTransition(S.Published, S.Withdrawn)).toBe(true);
  });

  it('never brings a withdrawn item back, and a published item can only be withdrawn', () => {
    expect(ALL.filter((to) => canTransition(S.Withdrawn, to))).toEqual([]);
    expect(ALL.filter((to) => canTransition(S.Published, to))).toEqual([S.Withdrawn]);
  });

  it('cannot skip review: nothing reaches Approved except from review or by unscheduling', () => {
    expect(ALL.filter((from) => canTransition(from, S.Approved)).sort()).toEqual([S.InReview, S.Scheduled].sort());
    expect(ALL.filter((from) => canTransition(from, S.Published))).toEqual([S.Scheduled]);
  });

  it('does not treat staying in the same state as a transition', () => {
    for (const status of ALL) expect(canTransition(status, status)).toBe(false);
  });

  it.each([
    [S.Uploading, true],
    [S.Processing, true],
    [S.ProcessingFailed, true],
    [S.InReview, true],
    [S.ChangesRequested, true],
    [S.Approved, false],
    [S.Scheduled, false],
    [S.Published, false],
    [S.Withdrawn, false],
  ])('isBeforeApproval(%s) is %p', (status, expected) => {
    expect(isBeforeApproval(status)).toBe(expected);
  });
});
