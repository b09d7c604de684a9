/**
 * Authenticated reads: bearer tokens of distinct users on `/v1/api/auth/me` and `/v1/user/profile`,
 * and API keys (X-API-Key) on `/v1/user/profile`; all against the bare verify route.
 */
import { verifyBound } from '../bounds/bounds.js';
import type { Step } from '../interleave.js';
import { runLoad } from '../load/run-load.js';
import { options } from '../options.js';
import type { Context } from './context.js';

function reads(ctx: Context, path: string, headers: Array<Record<string, string>>) {
  const variants = headers.map((h) => ({ method: 'GET' as const, path, headers: h }));
  return runLoad({ url: ctx.tessera.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'rotate', variants }, [ctx.tessera.pid]);
}

const bearer = (ctx: Context) => ctx.accessTokens.map((token) => ({ authorization: `Bearer ${token}` }));

export function bearerMeStep(ctx: Context): Step {
  return {
    scenario: `bearer GET /v1/api/auth/me (${ctx.accessTokens.length} tokens)`,
    bound: verifyBound(ctx.verify, ctx.accessTokens, ctx.workers),
    run: () => reads(ctx, '/v1/api/auth/me', bearer(ctx)),
  };
}

export function bearerProfileStep(ctx: Context): Step {
  return {
    scenario: `bearer GET /v1/user/profile (${ctx.accessTokens.length} tokens)`,
    bound: verifyBound(ctx.verify, ctx.accessTokens, ctx.workers),
    run: () => reads(ctx, '/v1/user/profile', bearer(ctx)),
  };
}

export function apiKeyStep(ctx: Context): Step {
  return {
    scenario: `API key GET /v1/user/profile (${ctx.apiKeys.length} keys)`,
    bound: verifyBound(ctx.verify, ctx.accessTokens, ctx.workers),
    run: () => reads(ctx, '/v1/user/profile', ctx.apiKeys.map((key) => ({ 'x-api-key': key }))),
  };
}
