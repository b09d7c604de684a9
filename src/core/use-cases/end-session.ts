import type { Store } from '../ports.js';
import type { IdTokenService } from '../tokens/id-token.service.js';
import type { SignedInPerson } from './authorize.js';

export interface EndSessionParams {
  id_token_hint?: string | undefined;
  post_logout_redirect_uri?: string | undefined;
  state?: string | undefined;
  client_id?: string | undefined;
}

export type EndSessionOutcome =
  /** Nothing is ended: the request names no registered place to go back to, or a hint that is not ours. */
  | { kind: 'page_error'; description: string }
  /** No proof the client asks on the person's behalf: the person confirms first. */
  | { kind: 'confirm' }
  /** End the browser session, then go to `redirect` (or show that the person is signed out). */
  | { kind: 'end'; redirect: string | undefined };

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser session. The
 * browser is sent back only to a `post_logout_redirect_uri` registered (exactly) for the client
 * the `id_token_hint` was issued to (or `client_id` names). With a valid hint of the person signed
 * in the session ends at once; without one the person confirms on a page first, so a link on
 * another site cannot sign anyone out.
 */
export class EndSession {
  constructor(
    private readonly store: Store,
    private readonly idTokens: IdTokenService,
  ) {}

  async decide(params: EndSessionParams, person: SignedInPerson | null, confirmed: boolean): Promise<EndSessionOutcome> {
    const hint = params.id_token_hint ? await this.idTokens.verifyHint(params.id_token_hint) : undefined;
    if (params.id_token_hint && !hint) return { kind: 'page_error', description: 'id_token_hint is not an ID token of this server' };
    if (hint && params.client_id !== undefined && params.client_id !== hint.clientId) {
      return { kind: 'page_error', description: 'client_id is not the audience of id_token_hint' };
    }
    const clientId = hint?.clientId ?? params.client_id;
    let redirect: string | undefined;
    if (params.post_logout_redirect_uri !== undefined) {
      const client = clientId && clientId.length <= 64 ? await this.store.clients.findById(clientId) : undefined;
      if (!client || !client.postLogoutRedirectUris.includes(params.post_logout_redirect_uri)) {
        return { kind: 'page_error', description: 'post_logout_redirect_uri is not registered for this application' };
      }
      const url = new URL(params.post_logout_redirect_uri);
      if (params.state !== undefined && params.state.length <= 2048) url.searchParams.append('state', params.state);
      redirect = url.href;
    }
    const vouched = hint !== undefined && (person === null || person.user.id === hint.userId);
    if (person !== null && !vouched && !confirmed) return { kind: 'confirm' };
    return { kind: 'end', redirect };
  }
}
