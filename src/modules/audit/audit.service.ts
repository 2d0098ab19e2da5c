import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { RequestContext } from '../../common/http/request-context';
import { AuditAction } from './audit-action';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  actor: { id: string; username: string } | null;
  action: AuditAction;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  context?: RequestContext;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Pass the transaction's manager when the event belongs to a change, so both commit or neither does. */
  async record(entry: AuditEntry, em?: EntityManager): Promise<void> {
    await (em ? em.getRepository(AuditEvent) : this.events).insert({
      actorId: entry.actor?.id ?? null,
      actorUsername: entry.actor?.username ?? null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      details: entry.details ?? {},
      ip: entry.context?.ip ?? null,
      userAgent: entry.context?.userAgent ?? null,
      requestId: entry.context?.requestId ?? null,
    });
  }

  list(filter: { targetType?: string; targetId?: string; actorId?: string; skip: number; take: number }): Promise<[AuditEvent[], number]> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (filter.targetType) where.targetType = filter.targetType;
    if (filter.targetId) where.targetId = filter.targetId;
    if (filter.actorId) where.actorId = filter.actorId;
    return this.events.findAndCount({ where, order: { createdAt: 'DESC' }, skip: filter.skip, take: filter.take });
  }
}
