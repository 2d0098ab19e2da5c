import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Where a request came from, for the audit log. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export function requestContextOf(request: Request & { id?: unknown }): RequestContext {
  return {
    ip: request.ip ?? null,
    userAgent: request.get('user-agent')?.slice(0, 300) ?? null,
    requestId: request.id ? String(request.id) : null,
  };
}

export const ReqContext = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestContext =>
  requestContextOf(ctx.switchToHttp().getRequest()),
);
