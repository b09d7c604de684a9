import { createPublicKey } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import { EXTERNAL_USERNAME_PREFIX } from '../users/username.js';
import type { User } from '../users/user.types.js';
import { jwksAlgorithms, pemAlgorithms } from './issuer-keys.js';
import type { TrustedIssuer } from './issuer.types.js';

/** Headers that would let a token choose its own verification key: never honoured, always refused. */
const KEY_CHOOSING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'];
const MAX_SKEW_SECONDS = 60;
/** External users have no password: this is not a valid hash, so a password login never verifies. */
const NO_PASSWORD = '!external';

/**
 * Trusted external issuers (RFC 8693 subject tokens, seed 002's `/v1/auth/token`). A token is
 * verified only with the key registered for its issuer and the algorithms pinned from that key;
 * `iss`, `aud` (when registered), `exp`/`nbf` (at most 60 s skew) and a never-seen `jti` are
 * required. The external subject maps to one local user, created on first sight.
 */
export class IssuerService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly skewSeconds: number,
  ) {}

  async register(
    input: { issuer: string; publicKeyPem?: string; jwks?: JSONWebKeySet; audience?: string },
    context: RequestContext,
  ): Promise<TrustedIssuer> {
    const issuer = input.issuer.trim();
    if (!issuer) throw new AuthError('invalid_input', 'issuer must not be empty', { field: 'issuer' });
    if ((input.publicKeyPem === undefined) === (input.jwks === undefined)) {
      throw new AuthError('invalid_input', 'give exactly one of publicKeyPem and jwks', { field: 'publicKeyPem' });
    }
    const algorithms = input.publicKeyPem !== undefined ? pemAlgorithms(input.publicKeyPem) : jwksAlgorithms(input.jwks!);
    const record: TrustedIssuer = {
      id: newId(),
      issuer,
      audience: input.audience?.trim() || null,
      jwks: input.jwks ?? null,
      publicKeyPem: input.publicKeyPem ?? null,
      algorithms,
      createdAt: this.clock.now(),
    };
    await this.store.issuers.insert(record);
    await this.audit.record('issuer.created', { context, detail: { issuerId: record.id, issuer } });
    return record;
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
    const refuse = (reason: string): AuthError => new AuthError('invalid_credentials', `the token is not acceptable: ${reason}`);
    let header: Record<string, unknown>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw refuse('not a JWT');
    }
    if (KEY_CHOOSING_HEADERS.some((h) => h in header)) throw refuse('key-selecting headers are not accepted');
    const issuer = typeof unverified.iss === 'string' ? await this.store.issuers.findByIssuer(unverified.iss) : undefined;
    if (!issuer) throw refuse('unknown issuer');
    let payload: JWTPayload;
    try {
      const key = issuer.jwks ? createLocalJWKSet(issuer.jwks) : createPublicKey(issuer.publicKeyPem!);
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        algorithms: issuer.algorithms,
        issuer: issuer.issuer,
        ...(issuer.audience ? { audience: issuer.audience } : {}),
        clockTolerance: Math.min(this.skewSeconds, MAX_SKEW_SECONDS),
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['sub', 'exp', 'jti'],
      }));
    } catch {
      throw refuse('signature or claims invalid');
    }
    const now = this.clock.now();
    if (!(await this.store.issuers.rememberJti(issuer.id, String(payload.jti), (payload.exp ?? 0) * 1000, now))) {
      throw refuse('token already used');
    }
    return this.linkedUser(issuer, String(payload.sub), context);
  }

  private async linkedUser(issuer: TrustedIssuer, subject: string, context: RequestContext): Promise<User> {
    const known = await this.store.issuers.findIdentity(issuer.id, subject);
    if (known) {
      const user = await this.store.users.findById(known.userId);
      if (!user) throw new AuthError('invalid_credentials', 'the linked user no longer exists');
      return user;
    }
    const now = this.clock.now();
    const username = `${EXTERNAL_USERNAME_PREFIX}${issuer.id.slice(0, 8)}:${subject}`.slice(0, 254);
    const user: User = {
      id: newId(),
      username,
      usernameKey: username.toLowerCase(),
      email: null,
      name: null,
      locale: null,
      passwordHash: NO_PASSWORD,
      passwordChangedAt: now,
      passwordExpiresAt: null,
      roles: [],
      emailVerified: false,
      termsAccepted: false,
      locked: false,
      createdAt: now,
      updatedAt: now,
    };
    const linked = await this.store.transaction(async (tx) => {
      const raced = await tx.issuers.findIdentity(issuer.id, subject);
      if (raced) return raced.userId;
      await tx.users.insert(user);
      await tx.issuers.insertIdentity({ issuerId: issuer.id, subject, userId: user.id, createdAt: now });
      return user.id;
    });
    if (linked === user.id) {
      await this.audit.record('user.external_linked', { userId: user.id, context, detail: { issuerId: issuer.id } });
      return user;
    }
    const existing = await this.store.users.findById(linked);
    if (!existing) throw new AuthError('invalid_credentials', 'the linked user no longer exists');
    return existing;
  }
}
