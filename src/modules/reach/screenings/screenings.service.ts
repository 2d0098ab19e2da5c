import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode } from '../../../common/errors/app-error';
import { RequestContext } from '../../../common/http/request-context';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { Commune } from '../../places/commune.entity';
import { Role } from '../../users/role';
import { ScreeningDto, ScreeningInputDto, ScreeningQueryDto } from '../dto/screening.dto';
import { Screening, ScreeningAttendance, ScreeningItem } from './screening.entity';

/** Today's date in Phnom Penh, where screenings happen (YYYY-MM-DD). */
export function phnomPenhToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Phnom_Penh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Roles that see every screening; educators see the ones they recorded. */
const SEE_ALL: readonly Role[] = [Role.Lead, Role.Admin, Role.Editor];

/**
 * Screenings and their registers: checked when recorded (date, commune, published items, sane
 * attendance), flagged when they repeat an earlier one, and verified by a lead who did not record them.
 * Only verified screenings count toward the target.
 */
@Injectable()
export class ScreeningsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record(actor: AuthUser, input: ScreeningInputDto, context: RequestContext): Promise<ScreeningDto> {
    this.checkDate(input.heldOn);
    const headcount = this.checkAttendance(input);
    if (!(await this.db.getRepository(Commune).existsBy({ id: input.communeId }))) {
      throw AppError.badRequest(ErrorCode.UnknownCommune, 'That commune is not one of the campaign communes. Pick one from the list.');
    }
    const testimonyIds = [...new Set(input.testimonyIds)].sort();
    await this.checkPublished(testimonyIds, input.heldOn);
    const itemsKey = testimonyIds.join(',');

    const saved = await this.db.transaction(async (em) => {
      const earlier = await em
        .getRepository(Screening)
        .createQueryBuilder('s')
        .where('s.held_on = :day AND lower(s.group_name) = lower(:group) AND s.items_key = :itemsKey', { day: input.heldOn, group: input.groupName, itemsKey })
        .orderBy('s.created_at', 'ASC')
        .getOne();
      const screening = await em.getRepository(Screening).save({
        heldOn: input.heldOn,
        communeId: input.communeId,
        groupName: input.groupName,
        countsOnly: input.countsOnly ?? false,
        headcount,
        itemsKey,
        duplicateOfId: earlier?.id ?? null,
        recordedById: actor.id,
      });
      await em.getRepository(ScreeningItem).insert(testimonyIds.map((testimonyId) => ({ screeningId: screening.id, testimonyId })));
      if (!input.countsOnly && input.attendees && input.attendees.length > 0) {
        await em.getRepository(ScreeningAttendance).insert(input.attendees.map((a) => ({ screeningId: screening.id, personKey: a.personKey, sex: a.sex, ageBand: a.ageBand })));
      }
      await this.audit.record(
        { actor, action: 'screening.recorded', target: { type: 'screening', id: screening.id }, details: { headcount, countsOnly: screening.countsOnly, duplicateOf: screening.duplicateOfId }, context },
        em,
      );
      return screening;
    });
    return ScreeningDto.from(saved, testimonyIds);
  }

  async verify(actor: AuthUser, id: string, context: RequestContext): Promise<ScreeningDto> {
    const saved = await this.db.transaction(async (em) => {
      const screening = await em.getRepository(Screening).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!screening) throw AppError.notFound('The screening');
      if (screening.recordedById === actor.id) {
        throw new AppError(ErrorCode.OwnScreening, 'You recorded this screening: another lead must verify it.', HttpStatus.FORBIDDEN);
      }
      if (screening.verifiedAt) return screening;
      screening.verifiedById = actor.id;
      screening.verifiedAt = new Date();
      await em.getRepository(Screening).update(id, { verifiedById: actor.id, verifiedAt: screening.verifiedAt });
      await this.audit.record({ actor, action: 'screening.verified', target: { type: 'screening', id }, details: { duplicateOf: screening.duplicateOfId }, context }, em);
      return screening;
    });
    return ScreeningDto.from(saved, saved.itemsKey.split(','));
  }

  async list(viewer: AuthUser, query: ScreeningQueryDto): Promise<ScreeningDto[]> {
    const qb = this.db.getRepository(Screening).createQueryBuilder('s').orderBy('s.held_on', 'DESC').addOrderBy('s.created_at', 'DESC').limit(500);
    if (!SEE_ALL.includes(viewer.role)) qb.andWhere('s.recorded_by = :me', { me: viewer.id });
    if (query.from) qb.andWhere('s.held_on >= :from', { from: query.from });
    if (query.to) qb.andWhere('s.held_on <= :to', { to: query.to });
    if (query.unverified) qb.andWhere('s.verified_at IS NULL');
    return (await qb.getMany()).map((s) => ScreeningDto.from(s, s.itemsKey.split(',')));
  }

  private checkDate(heldOn: string): void {
    if (Number.isNaN(Date.parse(`${heldOn}T00:00:00Z`))) throw AppError.badRequest(ErrorCode.ValidationFailed, 'heldOn is not a real date.');
    if (heldOn > phnomPenhToday()) {
      throw AppError.badRequest(ErrorCode.ScreeningInFuture, 'The screening date is in the future. Record a screening once it has taken place.');
    }
    const start = this.config.reach.campaignStartDate;
    if (heldOn < start) {
      throw AppError.badRequest(ErrorCode.ScreeningBeforeCampaign, `The screening date is before the campaign began (${start}). Check the date.`, { campaignStart: start });
    }
  }

  /** The headcount to store: the register's length, or the stated count of an open screening. */
  private checkAttendance(input: ScreeningInputDto): number {
    const max = this.config.reach.maxAttendance;
    const count = input.countsOnly ? (input.headcount ?? -1) : (input.attendees?.length ?? 0);
    if (count < 0 || count > max || (input.countsOnly && input.attendees?.length)) {
      throw AppError.badRequest(
        ErrorCode.AttendanceOutOfRange,
        input.countsOnly
          ? `A counts-only screening needs a headcount from 0 to ${max}, and no register.`
          : `A register holds from 0 to ${max} people. For a larger open screening, record the headcount only.`,
        { max },
      );
    }
    const keys = new Set(input.attendees?.map((a) => a.personKey));
    if (!input.countsOnly && keys.size !== (input.attendees?.length ?? 0)) {
      throw AppError.badRequest(ErrorCode.DuplicateAttendee, 'The same person is in the register twice. Remove the repeated line.');
    }
    return count;
  }

  /**
   * Only items that were on the Page that day may have been shown (never drafts or refused ones); an
   * item taken down after a withdrawal counts for screenings held before it came down.
   */
  private async checkPublished(testimonyIds: string[], heldOn: string): Promise<void> {
    const rows: { testimony_id: string }[] = await this.db.query(
      `SELECT DISTINCT testimony_id FROM publications
        WHERE testimony_id = ANY($1) AND published_at IS NOT NULL
          AND (taken_down_at IS NULL OR (taken_down_at AT TIME ZONE 'Asia/Phnom_Penh')::date >= $2::date)`,
      [testimonyIds, heldOn],
    );
    const published = new Set(rows.map((r) => r.testimony_id));
    const missing = testimonyIds.filter((id) => !published.has(id));
    if (missing.length > 0) {
      throw AppError.badRequest(ErrorCode.ItemNotPublished, 'A testimony shown at a screening must have been on the Page that day. Remove the ones that were not.', { testimonyIds: missing });
    }
  }
}
