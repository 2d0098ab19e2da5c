import { canMove, isBeforeApproval, movesFrom, targetOf, TESTIMONY_MOVES, TestimonyMove, TestimonyStatus as S } from './testimony-status';

const ALL = Object.values(S);
const MOVES = Object.keys(TESTIMONY_MOVES) as TestimonyMove[];

describe('testimony lifecycle', () => {
  it('lets a withdrawal stop an item from every other state, and nothing leaves a withdrawn item', () => {
    for (const status of ALL.filter((s) => s !== S.Withdrawn)) expect(canMove('testimony.withdrawn', status)).toBe(true);
    expect(movesFrom(S.Withdrawn)).toEqual([]);
  });

  it('reaches approval only through review', () => {
    const intoApproved = MOVES.filter((m) => targetOf(m, S.Approved) === S.Approved);
    // Undoing a refused re-processing request returns an approved item to approval, nothing else does.
    expect(intoApproved.sort()).toEqual(['testimony.approved', 'testimony.reprocess_undone']);
    expect(ALL.filter((s) => canMove('testimony.approved', s))).toEqual([S.InReview]);
  });

  it('needs the end state named for a move with several, and refuses one it cannot reach', () => {
    expect(targetOf('testimony.reprocess_undone')).toBeNull();
    expect(targetOf('testimony.reprocess_undone', S.InReview)).toBe(S.InReview);
    expect(targetOf('testimony.reprocess_undone', S.Rejected)).toBeNull();
  });

  it('leaves a rejected item only by withdrawal', () => {
    expect(movesFrom(S.Rejected)).toEqual(['testimony.withdrawn']);
  });

  it('lets educators change their items until an editor decides', () => {
    expect(ALL.filter(isBeforeApproval).sort()).toEqual([S.ChangesRequested, S.InReview, S.Processing, S.ProcessingFailed, S.Uploading].sort());
  });
});
