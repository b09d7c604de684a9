import type { FastifyRequest } from 'fastify';
import type { OAuthClient } from '../../../core/clients/client.types.js';
import { AuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { isText } from '../../shared/schemas.js';
import { decodeFormComponent, decodeUtf8 } from '../../shared/text-guards.js';

/** As long as the forms' `client_id` and `client_secret` fields may be. */
const MAX_CLIENT_CREDENTIAL = 200;

/**
 * A Basic credential passes no schema but goes into a query: decoded strictly (UTF-8, then the
 * form encoding RFC 6749 section 2.3.1 asks for) and held to the form fields' text rule, so a NUL
 * or an encoded surrogate is `invalid_client` on every database (PostgreSQL answered 500).
 */
function basicCredential(raw: string): string {
  const decoded = decodeFormComponent(raw);
  if (decoded === undefined || !isText(decoded, MAX_CLIENT_CREDENTIAL)) throw new AuthError('invalid_client', 'malformed Basic credentials');
  return decoded;
}

export interface ClientCredentialsForm {
  client_id?: string | undefined;
  client_secret?: string | undefined;
}

/** The scheme of the Authorization header is Basic: the client chose HTTP Basic, right or wrong. */
export function usesBasic(request: FastifyRequest): boolean {
  return /^Basic(\s|$)/i.test(request.headers.authorization?.trim() ?? '');
}

/**
 * The client credentials a request presents (RFC 6749 section 2.3.1): HTTP Basic with the
 * form-urlencoded id and secret, or `client_id`/`client_secret` in the body. Both at once is an
 * error, and so is a Basic header that does not parse or a secret without its id: a broken
 * attempt is `invalid_client`, never quietly no client. Neither answers undefined (a public
 * caller, or `client_id` alone: `none`, which authenticates nobody).
 */
export function presentedClient(request: FastifyRequest, body: ClientCredentialsForm): { id: string; secret: string } | undefined {
  if (usesBasic(request)) {
    if (body.client_secret !== undefined) throw new AuthError('invalid_input', 'use one client authentication method, not two');
    const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(request.headers.authorization!.trim());
    const decoded = basic ? decodeUtf8(Buffer.from(basic[1]!, 'base64')) : undefined;
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded === undefined || colon < 0) throw new AuthError('invalid_client', 'malformed Basic credentials');
    return { id: basicCredential(decoded.slice(0, colon)), secret: basicCredential(decoded.slice(colon + 1)) };
  }
  if (body.client_secret !== undefined) {
    if (body.client_id === undefined) throw new AuthError('invalid_client', 'client_secret without client_id');
    return { id: body.client_id, secret: body.client_secret };
  }
  return undefined;
}

/** Authenticates the presented client, if any: wrong credentials are `invalid_client`. */
export async function authenticateClient(core: Core, request: FastifyRequest, body: ClientCredentialsForm): Promise<OAuthClient | undefined> {
  const presented = presentedClient(request, body);
  return presented ? core.clients.authenticate(presented.id, presented.secret) : undefined;
}
