import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import type { SigningKeyService } from '../signing-keys/signing-key.service.js';

/** Makes a new current signing key now; answers its kid. */
export type RotateSigningKey = (context: RequestContext) => Promise<string>;

/**
 * Rotation by hand (admin API, CLI): new tokens are signed with the new key at once, the previous
 * key stays published until its last token expires, and the audit trail says who asked.
 */
export function rotateSigningKey(keys: SigningKeyService, audit: AuditService): RotateSigningKey {
  return async (context) => {
    const kid = await keys.rotate();
    await audit.record('signing_key.rotated', { context, detail: { kid, actorId: context.actorId } });
    return kid;
  };
}
