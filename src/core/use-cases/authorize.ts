import type { RequestContext } from '../context/request-context.js';
import { checkAuthorizationRequest, responseUrl, type AuthorizationParams, type PageError, type ValidRequest } from '../oidc/authorization-request.js';
import type { ConsentService } from '../oidc/consent.service.js';
import type { Clock, Store } from '../ports.js';
import { randomToken, secretHash } from '../secrets.js';
import type { User } from '../users/user.types.js';

/** How long an authorization code lives: long enough for a redirect and a token request. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

/** Used codes are kept this long past their expiry, so that a late reuse is still recognised. */
const USED_CODE_MEMORY_MS = 24 * 3_600_000;

/** The person signed in in this browser (the browser session of the pages). */
export interface SignedInPerson {
  browserSessionId: string;
  user: User;
  /** Epoch ms of the sign-in. */
  authTime: number;
  amr: string[];
}

export type AuthorizeOutcome =
  | PageError
  /** Back to the client: the code, or an error (RFC 6749 4.1.2, 4.1.2.1). */
  | { kind: 'redirect'; url: string }
  /** The person must sign in (again): a sign-in at or after `freshAfter` (epoch ms, whole seconds) will do. */
  | { kind: 'sign_in'; freshAfter: number; loginHint: string | undefined }
  /** A third-party client: the person is asked first. */
  | { kind: 'consent'; clientName: string; scopes: string[] };

export interface AuthorizeInput {
  params: AuthorizationParams;
  person: SignedInPerson | null;
  /**
   * Epoch ms of a sign-in this request already sent the person to (the surface carries it
   * through the sign-in page): a sign-in since then satisfies prompt=login and max_age, so the
   * person is not sent round again.
   */
  signedInAfter: number | undefined;
  /** The person's answer on the consent page, when this is its submission. */
  consent?: 'allow' | 'deny' | undefined;
}

/**
 * `/oauth2/authorize`: decides what an authorization request needs (OpenID Connect Core
 * 3.1.2): a page for a request that cannot be trusted with a redirect, a sign-in (none yet, or
 * not fresh enough for `prompt=login` / `max_age`), consent for a third-party client (remembered
 * per user, client and scopes), or the code, which is stored only as a hash, lives
 * AUTHORIZATION_CODE_TTL_SECONDS and is bound to the client, the redirect URI, the PKCE
 * challenge and the nonce. `prompt=none` never shows a page: it answers `login_required` or
 * `consent_required` on the redirect instead.
 */
export class Authorize {
  constructor(
    private readonly store: Store,
    private readonly consents: ConsentService,
    private readonly clock: Clock,
    private readonly issuer: string,
  ) {}

  async decide(input: AuthorizeInput, context: RequestContext): Promise<AuthorizeOutcome> {
    const clientId = input.params.client_id;
    const client = clientId && clientId.length <= 64 ? await this.store.clients.findById(clientId) : undefined;
    const checked = checkAuthorizationRequest(input.params, client);
    if (checked.kind === 'page_error') return checked;
    if (checked.kind === 'redirect_error') {
      return this.back(checked.redirectUri, { error: checked.error, error_description: checked.description, state: checked.state });
    }
    const request = checked;
    const { person } = input;
    const now = this.clock.now();
    if (!person || this.needsFreshSignIn(request, person, input.signedInAfter, now)) {
      if (request.prompt.has('none')) return this.error(request, 'login_required', 'the person is not signed in (prompt=none)');
      // whole seconds: a sign-in's time is kept in seconds (the ID token's auth_time)
      return { kind: 'sign_in', freshAfter: Math.floor(now / 1000) * 1000, loginHint: request.loginHint };
    }
    if (input.consent === 'deny') return this.error(request, 'access_denied', 'the person did not allow the application');
    if (request.client.consentRequired && input.consent !== 'allow') {
      const remembered = !request.prompt.has('consent') && (await this.consents.covers(person.user.id, request.client.id, request.scopes));
      if (!remembered) {
        if (request.prompt.has('none')) return this.error(request, 'consent_required', 'the person has not allowed this application (prompt=none)');
        return { kind: 'consent', clientName: request.client.name, scopes: request.scopes };
      }
    }
    if (request.client.consentRequired && input.consent === 'allow') await this.consents.grant(person.user.id, request.client.id, request.scopes, context);
    return this.issueCode(request, person, now);
  }

  /**
   * prompt=login asks for a sign-in during this request; max_age for one no older than it.
   * A sign-in at or after the one this request sent the person to satisfies both.
   */
  private needsFreshSignIn(request: ValidRequest, person: SignedInPerson, signedInAfter: number | undefined, now: number): boolean {
    if (signedInAfter !== undefined && person.authTime >= signedInAfter) return false;
    if (request.prompt.has('login')) return true;
    return request.maxAgeSeconds !== undefined && now - person.authTime > request.maxAgeSeconds * 1000;
  }

  private async issueCode(request: ValidRequest, person: SignedInPerson, now: number): Promise<AuthorizeOutcome> {
    const code = randomToken(32);
    await this.store.authorizationCodes.deleteExpired(now - USED_CODE_MEMORY_MS);
    await this.store.authorizationCodes.insert({
      codeHash: secretHash(code),
      clientId: request.client.id,
      userId: person.user.id,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      authTime: person.authTime,
      amr: person.amr,
      browserSessionId: person.browserSessionId,
      createdAt: now,
      expiresAt: now + AUTHORIZATION_CODE_TTL_SECONDS * 1000,
      usedAt: null,
      issuedSessionId: null,
      reusedAt: null,
    });
    return this.back(request.redirectUri, { code, state: request.state });
  }

  private error(request: ValidRequest, error: string, description: string): AuthorizeOutcome {
    return this.back(request.redirectUri, { error, error_description: description, state: request.state });
  }

  private back(redirectUri: string, members: Record<string, string | undefined>): AuthorizeOutcome {
    return { kind: 'redirect', url: responseUrl(redirectUri, this.issuer, members) };
  }
}
