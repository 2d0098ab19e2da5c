import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { QueueName } from './job-catalog';
import { JobQueue } from './job-queue.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for admins. The browser opens it as a page, so it is guarded by the session cookie that
 * sign-in sets; a non-admin or a signed-out visitor is sent to the sign-in page instead.
 */
export function queueDashboard(
  jobs: JobQueue,
  authenticate: (request: Request) => Promise<AuthUser | null>,
): { path: string; handlers: ((req: Request, res: Response, next: NextFunction) => void)[] } {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(jobs.queue(name))),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Migra Media jobs' } },
  });
  const guard = (req: Request, res: Response, next: NextFunction): void => {
    authenticate(req)
      .then((user) => {
        if (user?.role === Role.Admin) return next();
        if (req.accepts(['html', 'json']) === 'html') return res.redirect(302, `/?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`);
        res.status(user ? 403 : 401).json({
          statusCode: user ? 403 : 401,
          error: user ? 'Forbidden' : 'Unauthorized',
          message: user ? 'The queue dashboard is for admins.' : 'Sign in as an admin to see the queue dashboard.',
          code: user ? 'FORBIDDEN' : 'AUTH_REQUIRED',
        });
      })
      .catch(next);
  };
  return { path: QUEUE_DASHBOARD_PATH, handlers: [guard, adapter.getRouter() as (req: Request, res: Response, next: NextFunction) => void] };
}
