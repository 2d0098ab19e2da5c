import type { TestimonyMove } from '../testimonies/testimony-status';

/**
 * Every action the audit log records. A closed list, so that a history screen can word each one and a
 * typo cannot create an action nobody looks for. Status changes are the lifecycle's moves.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'profile.updated',
  'profile.password_changed',
  'user.created',
  'user.updated',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.password_reset',
  'testimony.uploaded',
  'testimony.deleted',
  'testimony.commented',
  'caption.replaced',
  'caption.cue_changed',
  'caption.imported',
  'caption.restored',
  'caption.task_requested',
  'consent.recorded',
  'consent.updated',
  'consent.evidence_added',
  'consent.withdrawn',
  'withdrawal.step_done',
  'withdrawal.media_kept',
  'withdrawal.media_deleted',
  'page.connected',
  'page.disconnected',
  'page.needs_reconnect',
  'publication.scheduled',
  'publication.rescheduled',
  'publication.cancelled',
  'publication.publish_now',
  'publication.retried',
  'publication.published',
  'publication.failed',
  'publication.take_down_requested',
  'publication.taken_down',
  'screening.recorded',
  'screening.verified',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number] | TestimonyMove;
