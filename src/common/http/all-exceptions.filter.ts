import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { AppError, ErrorCode, ErrorFigures } from '../errors/app-error';
import { ErrorResponseDto, ProblemDto } from './error-response.dto';

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: string[];
  problems?: ProblemDto[];
  figures?: ErrorFigures;
  headers?: Record<string, string>;
}

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P03']);

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.AuthRequired,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.BodyTooLarge,
  429: ErrorCode.TooManyAttempts,
  503: ErrorCode.DependencyUnavailable,
};

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function isDatabaseDown(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  if (code && CONNECTION_FAILURES.has(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|Connection is not established|timeout exceeded when trying to connect/i.test(
    e?.message ?? '',
  );
}

/** Turns every failure into `{ statusCode, error, message, code }`, with a message a person can act on. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request & { id?: string }>();
    const mapped = this.map(exception, request);

    if (mapped.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id, path: request.originalUrl }, mapped.message);
    }
    if (response.headersSent) return;

    const body: ErrorResponseDto = {
      statusCode: mapped.status,
      error: STATUS_CODES[mapped.status] ?? 'Error',
      message: mapped.message,
      code: mapped.code,
      ...(mapped.details ? { details: mapped.details } : {}),
      ...(mapped.problems ? { problems: mapped.problems } : {}),
      ...(mapped.figures ? { figures: mapped.figures } : {}),
      ...(request.id ? { requestId: String(request.id) } : {}),
    };
    for (const [name, value] of Object.entries(mapped.headers ?? {})) response.setHeader(name, value);
    response.status(mapped.status).json(body);
  }

  private map(exception: unknown, request: Request): Mapped {
    if (exception instanceof AppError) {
      return {
        status: exception.status,
        code: exception.code,
        message: exception.message,
        headers: exception.headers,
        figures: exception.figures,
        problems: exception.problems,
        details: exception.problems?.map((p) => p.message),
      };
    }
    if (exception instanceof HttpException) return this.mapHttpException(exception, request);
    if (exception instanceof QueryFailedError && (exception.driverError as { code?: string })?.code === '23505') {
      return { status: 409, code: ErrorCode.Conflict, message: 'This record already exists. Reload and check before trying again.' };
    }
    if (isDatabaseDown(exception)) {
      const e = AppError.unavailable('The database');
      return { status: e.status, code: e.code, message: e.message, headers: e.headers };
    }
    return {
      status: 500,
      code: ErrorCode.Internal,
      message: 'Something went wrong on our side. Try again; if it keeps happening, tell an admin the request id.',
    };
  }

  private mapHttpException(exception: HttpException, request: Request): Mapped {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    const raw = typeof payload === 'string' ? payload : (payload as { message?: unknown }).message;
    const messages = (Array.isArray(raw) ? raw : [raw ?? exception.message]).map((m) => sentence(String(m)));
    if (status === HttpStatus.NOT_FOUND && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(String(raw))) {
      return {
        status,
        code: ErrorCode.RouteNotFound,
        message: `There is no ${request.method} ${request.path} in this API. See /api/docs for the list of routes.`,
      };
    }
    const code = (payload as { code?: string })?.code ?? HTTP_CODES[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
    // A list of problems stays a list, even of one, so clients can always show them one per line.
    const problems = (payload as { problems?: unknown })?.problems;
    return {
      status,
      code,
      message: messages.join(' '),
      ...(Array.isArray(raw) ? { details: messages } : {}),
      ...(Array.isArray(problems) ? { problems: problems as ProblemDto[] } : {}),
    };
  }
}
