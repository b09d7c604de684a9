/**
 * The scenarios whose crypto is one JWT signature per request: refresh rotation (a fresh refresh
 * token per request; each answer's successor goes back into the pool) and the OAuth
 * client_credentials grant (a SHA-256 secret check, then a signature).
 */
import { signBound } from '../bounds/bounds.js';
import type { Step } from '../interleave.js';
import { runLoad } from '../load/run-load.js';
import { options, type Algorithm } from '../options.js';
import type { Context } from './context.js';

export function refreshStep(ctx: Context, algorithm: Algorithm): Step {
  return {
    scenario: `refresh (POST /v1/auth/refresh, ${algorithm})`,
    bound: signBound(algorithm, ctx.workers),
    run: () =>
      runLoad(
        { url: ctx.tessera.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'refresh', path: '/v1/auth/refresh', tokens: ctx.refreshTokens.splice(0) },
        [ctx.tessera.pid],
      ),
  };
}

export function clientCredentialsStep(ctx: Context, algorithm: Algorithm): Step {
  const basic = Buffer.from(`${encodeURIComponent(ctx.client.id)}:${encodeURIComponent(ctx.client.secret)}`).toString('base64');
  const variant = {
    method: 'POST' as const,
    path: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: 'grant_type=client_credentials',
  };
  return {
    scenario: 'OAuth client_credentials (POST /oauth2/token)',
    bound: signBound(algorithm, ctx.workers),
    run: () => runLoad({ url: ctx.tessera.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'rotate', variants: [variant] }, [ctx.tessera.pid]),
  };
}
