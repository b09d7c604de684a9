/** Helpers for the code-flow tests: PKCE pairs, codes minted through the core, token requests. */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import type { OAuthClient } from '../../src/core/clients/client.types.js';
import type { AuthorizeOutcome, SignedInPerson } from '../../src/core/use-cases/authorize.js';
import type { TestApp } from './test-app.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const form = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString();

/** The person behind a token pair's access token, as the browser session would name them. */
export async function personOf(t: TestApp, accessToken: string, authTime = t.clock.now()): Promise<SignedInPerson> {
  const user = await t.app.core.store.users.findById(String(decodeJwt(accessToken).sub));
  if (!user) throw new Error('no such user');
  return { browserSessionId: crypto.randomUUID(), user, authTime, amr: ['pwd'] };
}

export interface CodeRequest {
  client: OAuthClient;
  person: SignedInPerson | null;
  redirectUri?: string;
  scope?: string;
  challenge?: string | undefined;
  method?: string | undefined;
  extra?: Record<string, string>;
  signedInAfter?: number;
}

export function authorize(t: TestApp, r: CodeRequest, consent?: 'allow' | 'deny'): Promise<AuthorizeOutcome> {
  return t.app.core.authorize.decide(
    {
      params: {
        client_id: r.client.id,
        redirect_uri: r.redirectUri ?? r.client.redirectUris[0],
        response_type: 'code',
        scope: r.scope ?? 'openid profile email',
        state: 'st-1',
        nonce: 'n-1',
        ...(r.challenge === undefined ? {} : { code_challenge: r.challenge }),
        ...(r.method === undefined ? {} : { code_challenge_method: r.method }),
        ...r.extra,
      },
      person: r.person,
      signedInAfter: r.signedInAfter,
      consent,
    },
    {},
  );
}

/** The redirect's parameters; fails unless the outcome is a redirect. */
export function redirected(outcome: AuthorizeOutcome): URL {
  if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  return new URL(outcome.url);
}

/** A fresh code for `client` and the verifier that redeems it. */
export async function mintCode(t: TestApp, client: OAuthClient, person: SignedInPerson, scope?: string): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const url = redirected(await authorize(t, { client, person, challenge, method: 'S256', ...(scope ? { scope } : {}) }));
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code in ${url.href}`);
  return { code, verifier };
}

export function tokenRequest(t: TestApp, fields: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.server.inject({ method: 'POST', url: '/oauth2/token', headers: { ...FORM, ...headers }, payload: form(fields) });
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
