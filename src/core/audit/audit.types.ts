export type AuditEventType =
  | 'user.registered'
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'mail.throttled'
  | 'registration.throttled'
  | 'token.refreshed'
  | 'token.reuse_detected'
  | 'session.revoked'
  | 'password.changed'
  | 'password.reset_requested'
  | 'password.reset'
  | 'signing_key.created'
  | 'api_key.created'
  | 'api_key.deleted'
  | 'password.expired'
  | 'signing_key.rotated'
  | 'client.created'
  | 'client.deleted'
  | 'issuer.created'
  | 'issuer.changed'
  | 'issuer.deleted'
  | 'user.external_linked'
  | 'admin.user_created'
  | 'admin.user_changed'
  | 'admin.user_deleted'
  | 'admin.account_changed'
  | 'consent.granted'
  | 'consent.revoked';

export interface AuditEvent {
  id: string;
  at: number;
  type: AuditEventType;
  userId: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  requestId: string | null;
  /** Non-secret details (reason codes, surfaces); never a password, token or hash. */
  detail: Record<string, unknown>;
}
