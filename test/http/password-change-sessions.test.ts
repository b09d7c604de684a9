/**
 * A password change with the old password ends the other sessions at once (their access tokens
 * too, on every surface), keeps the user's API keys, and tells the user by mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiKey, authHeadersLogin, createProbeApp, exchangeApiKey, expectAlive, expectDead, iotLogin, type ProbeApp } from '../support/credential-probes.js';
import { login, mailsTo, newMailTo, type TokenPair } from '../support/native-helpers.js';
import { registerUser, STRONG_PASSWORD } from '../support/test-app.js';

const NEW_PASSWORD = 'changed on purpose today';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

async function change(token: string): Promise<TokenPair> {
  const res = await p.t.request('POST', '/v1/user/password/change', { token, body: { oldPassword: STRONG_PASSWORD, password: NEW_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TokenPair>();
}

describe('POST /v1/user/password/change with the old password', () => {
  it("ends the other sessions: their access tokens (native, /user/login, seed 003) stop working at once", async () => {
    const changer = await registerUser(p.t, 'changer@example.com');
    const other = await login(p.t, 'changer@example.com');
    const seed001 = await authHeadersLogin(p.t, 'changer@example.com');
    const seed003 = await iotLogin(p.t, 'changer@example.com');
    const fresh = await change(changer.access_token);
    await expectDead(p.t, other.access_token, 'the other /v1 session');
    await expectDead(p.t, seed001, 'the /user/login token');
    await expectDead(p.t, seed003, 'the seed-003 token');
    await expectAlive(p.t, fresh.access_token, 'the pair the change answered');
  });

  it('keeps the API keys', async () => {
    const pair = await registerUser(p.t, 'key-keeper@example.com');
    const key = await addApiKey(p.t, await authHeadersLogin(p.t, 'key-keeper@example.com'));
    await change(pair.access_token);
    await expectAlive(p.t, key, 'the API key after a change');
    await exchangeApiKey(p.t, key);
  });

  it('mails the user that the password was changed', async () => {
    const pair = await registerUser(p.t, 'notified@example.com');
    const seen = await mailsTo(p.t, 'notified@example.com');
    await change(pair.access_token);
    const notice = await newMailTo(p.t, 'notified@example.com', seen);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/password/i);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/changed/i);
  });
});
