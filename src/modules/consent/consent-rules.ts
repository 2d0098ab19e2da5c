import { AppError, ErrorCode } from '../../common/errors/app-error';
import { ConsentChannel, ConsentRecord, Identifiability, NEEDS_DISGUISE } from './consent-record.entity';
import { ConsentInputDto, consentState } from './dto/consent.dto';

/** Today's date in Phnom Penh, where consent is given and expires: a date, not an instant. */
export function campaignToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Phnom_Penh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * The rules a consent record must meet before it is saved. A minor is never fully identifiable, and a
 * minor's consent needs both the guardian's permission and the child's own assent (UNICEF's principles).
 */
export function checkConsent(input: ConsentInputDto, limits: { defaultMonths: number; maxMonths: number }, today: string): { validUntil: string } {
  const givenOn = input.givenOn.slice(0, 10);
  if (givenOn > today) throw AppError.badRequest(ErrorCode.ValidationFailed, 'The day consent was given cannot be in the future.', { givenOn, today });
  if (input.isMinor && input.identifiability === Identifiability.Fully) {
    throw AppError.badRequest(ErrorCode.MinorFullyIdentifiable, 'A child may never be shown fully identifiable. Choose name withheld, face blurred, voice altered or not shown.');
  }
  if (input.isMinor && (!input.guardianName || !input.guardianRelationship || input.childAssent !== true)) {
    throw AppError.badRequest(ErrorCode.GuardianRequired, "For a child, record the guardian's name and relationship, and the child's own agreement.");
  }
  const latest = addMonths(givenOn, limits.maxMonths);
  const validUntil = input.validUntil?.slice(0, 10) ?? addMonths(givenOn, Math.min(limits.defaultMonths, limits.maxMonths));
  if (validUntil < givenOn) throw AppError.badRequest(ErrorCode.ValidationFailed, 'Consent cannot end before the day it was given.', { givenOn, validUntil });
  if (validUntil > latest) {
    throw AppError.badRequest(ErrorCode.ConsentTooLong, `Consent may last at most ${limits.maxMonths} months; ask the person again after that.`, {
      maxMonths: limits.maxMonths,
      latest,
    });
  }
  return { validUntil };
}

export interface ConsentGap {
  kind: 'no_consent' | 'withdrawn' | 'expired' | 'channel_not_agreed';
  message: string;
  values?: Record<string, string>;
}

/**
 * Why the Page may not show this item yet: every person shown needs an active, unexpired consent that
 * covers the Facebook Page. An empty list means it may.
 */
export function pageConsentGaps(records: ConsentRecord[], today: string): ConsentGap[] {
  if (records.length === 0) {
    return [{ kind: 'no_consent', message: 'No consent is recorded for this item. Record the consent of each person shown.' }];
  }
  return records.flatMap((r): ConsentGap[] => {
    const state = consentState(r, today);
    const person = { person: r.personLabel, consentId: r.id };
    if (state === 'withdrawn') return [{ kind: 'withdrawn', message: `${r.personLabel} withdrew their consent.`, values: person }];
    if (state === 'expired') return [{ kind: 'expired', message: `${r.personLabel}'s consent expired on ${r.validUntil}. Ask them again.`, values: { ...person, validUntil: r.validUntil } }];
    if (!r.channels.includes(ConsentChannel.FacebookPage)) {
      return [{ kind: 'channel_not_agreed', message: `${r.personLabel} did not agree to the Facebook Page.`, values: person }];
    }
    return [];
  });
}

/** Records whose disguise the editor must confirm on approval. */
export function disguisesToConfirm(records: ConsentRecord[]): ConsentRecord[] {
  return records.filter((r) => !r.withdrawnAt && NEEDS_DISGUISE.includes(r.identifiability));
}

/** The refusal when the Page may not show an item: each gap with its person, for the web app to list. */
export function consentMissing(gaps: ConsentGap[]): AppError {
  return new AppError(
    ErrorCode.ConsentMissing,
    'This item cannot go to the Page until every person shown has an active consent that covers the Facebook Page.',
    409,
    {},
    { gaps: gaps.length },
    gaps.map((g) => ({ kind: g.kind, message: g.message, values: g.values })),
  );
}
