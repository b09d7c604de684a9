import type { OAuthClient } from '../clients/client.types.js';
import { redirectUriMatches } from '../clients/redirect-uris.js';
import { parseScope } from '../clients/scopes.js';
import { isS256Challenge } from './pkce.js';

/** The query of `/oauth2/authorize` as the browser sent it (every member optional, all text). */
export interface AuthorizationParams {
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  response_mode?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  nonce?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
  prompt?: string | undefined;
  max_age?: string | undefined;
  login_hint?: string | undefined;
  request?: string | undefined;
  request_uri?: string | undefined;
}

/** The request's parameters, checked. */
export interface ValidRequest {
  kind: 'valid';
  client: OAuthClient;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  nonce: string | null;
  codeChallenge: string;
  prompt: Set<'none' | 'login' | 'consent'>;
  maxAgeSeconds: number | undefined;
  loginHint: string | undefined;
}

/** Refused before a redirect URI is trusted: shown to the person, never sent anywhere. */
export interface PageError {
  kind: 'page_error';
  error: 'invalid_client' | 'invalid_redirect_uri' | 'invalid_request';
  description: string;
}

/** Refused once the redirect URI is known to be the client's: sent back to it (RFC 6749 4.1.2.1). */
export interface RedirectError {
  kind: 'redirect_error';
  redirectUri: string;
  state: string | undefined;
  error: string;
  description: string;
}

const PROMPTS = new Set(['none', 'login', 'consent']);
const MAX_STATE = 2048;
const MAX_NONCE = 512;

/**
 * Checks an authorization request in the order RFC 6749 4.1.2.1 needs: first the client and
 * its redirect URI (an unknown client or an unregistered URI is a page, never a redirect, so
 * Tessera cannot be made an open redirector), then everything else, whose faults go back to
 * the client's redirect URI. PKCE with S256 is required of every client (RFC 9700 2.1.1).
 */
export function checkAuthorizationRequest(params: AuthorizationParams, client: OAuthClient | undefined): ValidRequest | PageError | RedirectError {
  if (!params.client_id) return { kind: 'page_error', error: 'invalid_request', description: 'client_id is missing' };
  if (!client) return { kind: 'page_error', error: 'invalid_client', description: 'no application is registered with this client_id' };
  const redirectUri = params.redirect_uri;
  if (!redirectUri) return { kind: 'page_error', error: 'invalid_redirect_uri', description: 'redirect_uri is missing' };
  if (!redirectUriMatches(client.redirectUris, redirectUri)) {
    return { kind: 'page_error', error: 'invalid_redirect_uri', description: 'redirect_uri is not registered for this application' };
  }
  const state = params.state;
  const fail = (error: string, description: string): RedirectError => ({
    kind: 'redirect_error',
    redirectUri,
    state: state !== undefined && state.length <= MAX_STATE ? state : undefined,
    error,
    description,
  });
  if (!client.grantTypes.includes('authorization_code')) return fail('unauthorized_client', 'the client may not use the authorization code flow');
  if (params.request !== undefined) return fail('request_not_supported', 'request objects are not supported');
  if (params.request_uri !== undefined) return fail('request_uri_not_supported', 'request_uri is not supported');
  if (params.response_type !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');
  if (params.response_mode !== undefined && params.response_mode !== 'query') return fail('invalid_request', 'only response_mode=query is supported');
  if (state !== undefined && state.length > MAX_STATE) return fail('invalid_request', `state is longer than ${MAX_STATE} characters`);
  const scopes = parseScope(params.scope);
  if (!scopes.includes('openid')) return fail('invalid_scope', 'the openid scope is required');
  const unknown = scopes.find((s) => !client.scopes.includes(s));
  if (unknown !== undefined) return fail('invalid_scope', `the client may not ask for the scope ${unknown}`);
  if (!params.code_challenge) return fail('invalid_request', 'code_challenge is required (PKCE with S256)');
  if (params.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  if (!isS256Challenge(params.code_challenge)) return fail('invalid_request', 'code_challenge is not an S256 challenge');
  if (params.nonce !== undefined && (params.nonce.length === 0 || params.nonce.length > MAX_NONCE)) {
    return fail('invalid_request', `nonce must have 1 to ${MAX_NONCE} characters`);
  }
  const prompt = parseScope(params.prompt);
  if (prompt.some((p) => !PROMPTS.has(p))) return fail('invalid_request', 'prompt may hold none, login and consent only');
  if (prompt.includes('none') && prompt.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values');
  let maxAgeSeconds: number | undefined;
  if (params.max_age !== undefined) {
    if (!/^\d{1,9}$/.test(params.max_age)) return fail('invalid_request', 'max_age must be a number of seconds');
    maxAgeSeconds = Number(params.max_age);
  }
  return {
    kind: 'valid',
    client,
    redirectUri,
    scopes,
    state,
    nonce: params.nonce ?? null,
    codeChallenge: params.code_challenge,
    prompt: new Set(prompt as ('none' | 'login' | 'consent')[]),
    maxAgeSeconds,
    loginHint: params.login_hint !== undefined && params.login_hint.length <= 1024 ? params.login_hint : undefined,
  };
}

/** The client's redirect URI with the response parameters added to its own query, `iss` included (RFC 9207). */
export function responseUrl(redirectUri: string, issuer: string, members: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(members)) if (value !== undefined) url.searchParams.append(name, value);
  url.searchParams.append('iss', issuer);
  return url.href;
}
