import type { JSONWebKeySet } from 'jose';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId } from '../secrets.js';
import { buildUser, draftUser, externalUsername, isPlainText, NO_PASSWORD } from '../users/new-user.js';
import type { User } from '../users/user.types.js';
import { MAX_ISSUER_LENGTH, refuse, verifyExternalToken } from './external-token.js';
import { jwksAlgorithms, pemAlgorithms } from './issuer-keys.js';
import type { IssuerPatch } from './issuer.repo.js';
import type { TrustedIssuer } from './issuer.types.js';

const MAX_SKEW_SECONDS = 60;
const MAX_AUDIENCE_LENGTH = 1024;

export interface IssuerRegistration {
  issuer: string;
  publicKeyPem?: string | undefined;
  jwks?: JSONWebKeySet | undefined;
  /** The `aud` its tokens carry for Tessera: required, so tokens meant for others are refused. */
  audience: string;
  requireJti?: boolean | undefined;
}

function checked(value: string, field: 'issuer' | 'audience', maxLength: number): string {
  const trimmed = value.trim();
  if (!isPlainText(trimmed, maxLength)) {
    throw new AuthError('invalid_input', `${field} must be 1 to ${maxLength} characters without control characters`, { field });
  }
  return trimmed;
}

/**
 * Trusted external issuers (RFC 8693 subject tokens, seed 002's `/v1/auth/token`). A token is
 * verified only with the key registered for its issuer (external-token.ts); a `jti`, when it
 * has one, is accepted once and remembered for as long as the token would be accepted. The
 * external (issuer, exact subject) maps to one local user, created on first sight.
 */
export class IssuerService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly skewSeconds: number,
  ) {}

  async register(input: IssuerRegistration, context: RequestContext): Promise<TrustedIssuer> {
    const issuer = checked(input.issuer, 'issuer', MAX_ISSUER_LENGTH);
    const audience = checked(input.audience, 'audience', MAX_AUDIENCE_LENGTH);
    if ((input.publicKeyPem === undefined) === (input.jwks === undefined)) {
      throw new AuthError('invalid_input', 'give exactly one of publicKeyPem and jwks', { field: 'publicKeyPem' });
    }
    const algorithms = input.publicKeyPem !== undefined ? pemAlgorithms(input.publicKeyPem) : jwksAlgorithms(input.jwks!);
    const record: TrustedIssuer = {
      id: newId(),
      issuer,
      audience,
      requireJti: input.requireJti ?? false,
      jwks: input.jwks ?? null,
      publicKeyPem: input.publicKeyPem ?? null,
      algorithms,
      createdAt: this.clock.now(),
    };
    await this.store.issuers.insert(record);
    await this.audit.record('issuer.created', { context, detail: { issuerId: record.id, issuer } });
    return record;
  }

  /** Sets the audience (an issuer registered before audiences were required has none) or requireJti. */
  async update(id: string, patch: { audience?: string | undefined; requireJti?: boolean | undefined }, context: RequestContext): Promise<TrustedIssuer> {
    const changes: IssuerPatch = {};
    if (patch.audience !== undefined) changes.audience = checked(patch.audience, 'audience', MAX_AUDIENCE_LENGTH);
    if (patch.requireJti !== undefined) changes.requireJti = patch.requireJti;
    const updated = await this.store.issuers.update(id, changes);
    if (!updated) throw new AuthError('not_found', 'no such issuer');
    await this.audit.record('issuer.changed', { context, detail: { issuerId: id, fields: Object.keys(changes) } });
    return updated;
  }

  list(): Promise<TrustedIssuer[]> {
    return this.store.issuers.list();
  }

  async delete(id: string, context: RequestContext): Promise<void> {
    if (!(await this.store.issuers.delete(id))) throw new AuthError('not_found', 'no such issuer');
    await this.audit.record('issuer.deleted', { context, detail: { issuerId: id } });
  }

  /** Verifies an external JWT and answers the local user it speaks for. */
  async userFor(token: string, context: RequestContext): Promise<User> {
    const now = this.clock.now();
    const toleranceSeconds = Math.min(this.skewSeconds, MAX_SKEW_SECONDS);
    const claims = await verifyExternalToken(token, (iss) => this.store.issuers.findByIssuer(iss), { now, toleranceSeconds });
    // remembered as long as the token is accepted: until exp + the tolerance, not only until exp
    const acceptedUntil = (claims.exp + toleranceSeconds) * 1000;
    if (claims.jti !== undefined && !(await this.store.issuers.rememberJti(claims.issuer.id, claims.jti, acceptedUntil, now))) {
      throw refuse('token already used');
    }
    return this.linkedUser(claims.issuer, claims.subject, context);
  }

  private async linkedUser(issuer: TrustedIssuer, subject: string, context: RequestContext): Promise<User> {
    const known = await this.store.issuers.findIdentity(issuer.id, subject);
    if (known) return this.existing(known.userId);
    const now = this.clock.now();
    const draft = draftUser({ username: externalUsername(issuer.id, subject) }, { external: true });
    const user = buildUser(draft, { hash: NO_PASSWORD, expiresAt: null }, now);
    const linked = await this.store.transaction(async (tx) => {
      const raced = await tx.issuers.findIdentity(issuer.id, subject);
      if (raced) return raced.userId;
      await tx.users.insert(user);
      await tx.issuers.insertIdentity({ issuerId: issuer.id, subject, userId: user.id, createdAt: now });
      return user.id;
    });
    if (linked !== user.id) return this.existing(linked);
    await this.audit.record('user.external_linked', { userId: user.id, context, detail: { issuerId: issuer.id } });
    return user;
  }

  private async existing(userId: string): Promise<User> {
    const user = await this.store.users.findById(userId);
    if (!user) throw new AuthError('invalid_credentials', 'the linked user no longer exists');
    return user;
  }
}
