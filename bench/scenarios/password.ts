/**
 * The scenarios whose work is one argon2id hash or verify per request: password login rotating
 * over the seeded users, the IoT token (seed 003) and self-service registration.
 */
import { argon2Bound } from '../bounds/bounds.js';
import type { Step } from '../interleave.js';
import { runLoad } from '../load/run-load.js';
import { options, PASSWORD } from '../options.js';
import type { Context } from './context.js';

const json = { 'content-type': 'application/json' };

function rotate(ctx: Context, path: string) {
  const variants = ctx.rotation.map((username) => ({ method: 'POST' as const, path, headers: json, body: JSON.stringify({ username, password: PASSWORD }) }));
  return runLoad({ url: ctx.tessera.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'rotate', variants }, [ctx.tessera.pid]);
}

export function loginStep(ctx: Context): Step {
  return { scenario: `login (POST /v1/auth/login, ${ctx.rotation.length} users)`, bound: argon2Bound(), run: () => rotate(ctx, '/v1/auth/login') };
}

export function iotTokenStep(ctx: Context): Step {
  return { scenario: 'IoT token (POST /v1/api/auth/token)', bound: argon2Bound(), run: () => rotate(ctx, '/v1/api/auth/token') };
}

let registrations = 0;
export function registerStep(ctx: Context): Step {
  registrations += 1;
  const prefix = `reg-${process.pid}-${registrations}`;
  return {
    scenario: 'registration (POST /v1/user; argon2id hash)',
    bound: argon2Bound(),
    run: () =>
      runLoad(
        { url: ctx.tessera.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'register', path: '/v1/user', prefix, password: PASSWORD },
        [ctx.tessera.pid],
      ),
  };
}
