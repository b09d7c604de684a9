/**
 * Refresh families have an absolute lifetime (REFRESH_ABSOLUTE_TTL, default 90 days, at least
 * REFRESH_TOKEN_TTL) besides the sliding one: rotating every few minutes does not keep a family
 * alive past it. Today each rotation extends the family forever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { FAST, postForm } from '../support/credential-probes.js';
import { expectProblem, login, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const DAY = 86_400;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const refresh = (app: TestApp, token: string) => app.request('POST', '/v1/auth/refresh', { body: { token } });

/** Rotates `token` at each of the given offsets (seconds after the login), answering the last pair. */
async function rotateAt(app: TestApp, token: string, offsets: number[]): Promise<string> {
  let elapsed = 0;
  let current = token;
  for (const at of offsets) {
    app.clock.advanceSeconds(at - elapsed);
    elapsed = at;
    const res = await refresh(app, current);
    expect(res.statusCode, `rotation at ${at} s: ${res.body}`).toBe(200);
    current = res.json<TokenPair>().refresh_token;
  }
  return current;
}

describe('REFRESH_ABSOLUTE_TTL', () => {
  it('REFRESH_TOKEN_TTL=300, REFRESH_ABSOLUTE_TTL=600: rotating every 200 s works until 600 s, then refresh_token_invalid', async () => {
    t = await createTestApp({ ...FAST, REFRESH_TOKEN_TTL: '300', REFRESH_ABSOLUTE_TTL: '600' });
    await registerUser(t, 'rotator');
    const pair = await login(t, 'rotator');
    const last = await rotateAt(t, pair.refresh_token, [200, 400, 580]);
    t.clock.advanceSeconds(200); // 780 s after the login: inside the sliding window, past the absolute one
    expectProblem(await refresh(t, last), 401, 'refresh_token_invalid');
  });

  it('the OAuth refresh_token grant obeys the same absolute lifetime (invalid_grant)', async () => {
    t = await createTestApp({ ...FAST, REFRESH_TOKEN_TTL: '300', REFRESH_ABSOLUTE_TTL: '600' });
    await registerUser(t, 'oauth-rotator');
    const pair = await login(t, 'oauth-rotator');
    const last = await rotateAt(t, pair.refresh_token, [250, 500]);
    t.clock.advanceSeconds(250);
    const res = await postForm(t, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: last });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<{ error: string }>().error).toBe('invalid_grant');
  });

  it('defaults to 90 days: rotating every 20 days keeps a family alive until then, not after', async () => {
    t = await createTestApp(FAST);
    await registerUser(t, 'default-rotator');
    const pair = await login(t, 'default-rotator');
    const last = await rotateAt(t, pair.refresh_token, [20, 40, 60, 80].map((d) => d * DAY));
    t.clock.advanceSeconds(11 * DAY); // 91 days
    expectProblem(await refresh(t, last), 401, 'refresh_token_invalid');
  });

  it('is a config variable: default 7776000, and a value below REFRESH_TOKEN_TTL is refused at start', () => {
    expect((loadConfig({}).config as Record<string, unknown>).REFRESH_ABSOLUTE_TTL).toBe(7_776_000);
    expect((loadConfig({ REFRESH_ABSOLUTE_TTL: '600', REFRESH_TOKEN_TTL: '300' }).config as Record<string, unknown>).REFRESH_ABSOLUTE_TTL).toBe(600);
    expect(() => loadConfig({ REFRESH_TOKEN_TTL: '3600', REFRESH_ABSOLUTE_TTL: '600' })).toThrow(/REFRESH_ABSOLUTE_TTL/);
  });
});
