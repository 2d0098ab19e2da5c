import { formatDate, statusLabel, useI18n, type MessageKey } from '../i18n';

type LatestDecision = { kind: string; note: string; decidedBy: string | null; at: string } | null | undefined;

/** What the editor decided last and, for changes or a rejection, the note the educator must read. */
export function DecisionSummary({ decision, status }: { decision: LatestDecision; status: string }) {
  const { t, lang } = useI18n();
  // A decision undone by a resubmission or a withdrawal is no longer news.
  if (!decision || decision.kind !== status) return null;
  const noteKey: MessageKey | null =
    decision.kind === 'changes_requested' ? 'decisionChangesNote' : decision.kind === 'rejected' ? 'decisionRejectedReason' : null;
  return (
    <div className={`decision-summary decision-${decision.kind}`} data-testid="decision-summary" data-kind={decision.kind}>
      <p className="sub">
        {t('decisionLatest', { status: statusLabel(decision.kind, t), date: formatDate(decision.at, lang, true) })}
        {decision.decidedBy && ` · ${decision.decidedBy}`}
      </p>
      {noteKey && decision.note && (
        <p className="decision-note" data-testid="decision-note">
          {t(noteKey, { note: decision.note })}
        </p>
      )}
    </div>
  );
}
