/**
 * What the core may know about the request that started an operation: never headers or bodies,
 * only these facts, for throttling, audit and session records.
 */
export interface RequestContext {
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  requestId?: string | undefined;
  /** The surface that received the request, e.g. `native`. */
  surface?: string | undefined;
  /** Who made the request, when it was authenticated (an admin acting on another user, say). */
  actorId?: string | undefined;
}
