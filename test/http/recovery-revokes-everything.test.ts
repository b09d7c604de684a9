/**
 * Recovery by mail (restore -> mail -> confirm -> reset) takes the account back: every refresh
 * family, every API key, every outstanding code and every access token (all carry sid) dies, on
 * every surface; the login backoff is cleared; the user is told by mail that the password changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshIp, requestFrom } from '../support/client-ip.js';
import {
  addApiKey,
  authHeadersLogin,
  createProbeApp,
  exchangeApiKey,
  expectAlive,
  expectDead,
  introspect,
  iotLogin,
  postForm,
  type ProbeApp,
} from '../support/credential-probes.js';
import { expectProblem, login, mailsTo, newMailTo } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { registerUser, STRONG_PASSWORD } from '../support/test-app.js';

const NEW_PASSWORD = 'taken back by the owner';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

/** restore -> the mailed code -> confirm: answers the single-use reset token. */
async function resetToken(email: string, ip = freshIp()): Promise<string> {
  const seen = await mailsTo(p.t, email);
  expect((await requestFrom(p.t, ip, 'POST', '/v1/user/password/restore', { body: { email } })).statusCode).toBe(200);
  const code = codeFromMail(await newMailTo(p.t, email, seen));
  const confirm = await requestFrom(p.t, ip, 'GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
  expect(confirm.statusCode, confirm.body).toBe(200);
  return confirm.json<{ token: string }>().token;
}

async function reset(token: string, password = NEW_PASSWORD, ip = freshIp()) {
  const res = await requestFrom(p.t, ip, 'POST', '/v1/user/password/reset', { body: { token, password } });
  expect(res.statusCode, res.body).toBe(200);
}

describe('recovery by mail revokes every credential', () => {
  it('refresh families, API keys and access tokens of every surface (native, /user/login, seed 003, OAuth, key-bought) all die', async () => {
    const email = 'recovered@example.com';
    const registered = await registerUser(p.t, email);
    const second = await login(p.t, email);
    const seed001 = await authHeadersLogin(p.t, email);
    const seed003 = await iotLogin(p.t, email);
    const oauth = (await postForm(p.t, '/oauth2/token', { grant_type: 'password', username: email, password: STRONG_PASSWORD })).json<{ access_token: string }>();
    const key = await addApiKey(p.t, seed001, 'planted');
    const bought = await exchangeApiKey(p.t, key);

    await reset(await resetToken(email));

    const tokens = { registered: registered.access_token, second: second.access_token, seed001, seed003, oauth: oauth.access_token, bought: bought.access_token };
    for (const [what, token] of Object.entries(tokens)) {
      await expectDead(p.t, token, `the ${what} access token after the reset`);
      expect(await introspect(p, token), what).toBe('{"active":false}');
    }
    await expectDead(p.t, key, 'the API key after the reset');
    expect(await introspect(p, key)).toBe('{"active":false}');
    expectProblem(await p.t.request('POST', '/v1/auth/token', { body: { token: key } }), 401);
    for (const refresh of [registered.refresh_token, second.refresh_token, bought.refresh_token]) {
      expectProblem(await p.t.request('POST', '/v1/auth/refresh', { body: { token: refresh } }), 401);
    }
    await expectAlive(p.t, (await login(p.t, email, NEW_PASSWORD)).access_token, 'a login with the new password');
  });

  it('outstanding codes die with the reset: a reset code mailed meanwhile and an email-verification code', async () => {
    const email = 'codes@example.com';
    const { access_token: token } = await registerUser(p.t, email);
    const seen = await mailsTo(p.t, email);
    expect((await p.t.request('POST', '/v1/user/email/verify', { token })).statusCode).toBe(200);
    const verifyCode = codeFromMail(await newMailTo(p.t, email, seen), '/verify-email/');
    const used = await resetToken(email);
    const seen2 = await mailsTo(p.t, email);
    expect((await p.t.request('POST', '/v1/user/password/restore', { body: { email } })).statusCode).toBe(200);
    const laterCode = codeFromMail(await newMailTo(p.t, email, seen2));

    await reset(used);

    expectProblem(await p.t.request('GET', `/v1/user/confirm/${encodeURIComponent(laterCode)}`), 400);
    expectProblem(await p.t.request('GET', `/v1/user/email/verify/${encodeURIComponent(verifyCode)}`), 400);
  });

  it('clears the login backoff: a throttled user logs in with the new password at once', async () => {
    const email = 'throttled-owner@example.com';
    await registerUser(p.t, email);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await requestFrom(p.t, ip, 'POST', '/v1/auth/login', { body: { username: email, password: `wrong ${i}` } });
    expectProblem(await requestFrom(p.t, ip, 'POST', '/v1/auth/login', { body: { username: email, password: STRONG_PASSWORD } }), 429);
    await reset(await resetToken(email));
    const res = await requestFrom(p.t, freshIp(), 'POST', '/v1/auth/login', { body: { username: email, password: NEW_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('mails the user that the password was changed', async () => {
    const email = 'told-by-mail@example.com';
    await registerUser(p.t, email);
    const token = await resetToken(email);
    const seen = await mailsTo(p.t, email);
    await reset(token);
    const notice = await newMailTo(p.t, email, seen);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/password/i);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/changed/i);
    expect(notice.text ?? '').not.toContain('/reset/');
  });
});
