import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await registerUser(t, 'hardy')).access_token;
});
afterAll(async () => t.close());

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const login = (body: string | Buffer, headers: Record<string, string> = JSON_TYPE) => t.request('POST', '/v1/auth/login', { body, headers });
const credentials = `"username":"nobody","password":"${STRONG_PASSWORD}"`;
/** A login body whose deepest array sits `depth` levels down, the body object counting as one. */
const nested = (depth: number) => `{${credentials},"extra":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('size and media type', () => {
  it('answers 413 for a body over 64 KiB and 415 for anything but application/json (UTF-8)', async () => {
    expectProblem(await login(`{${credentials},"pad":"${'p'.repeat(64 * 1024)}"}`), 413, 'payload_too_large');
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'application/json; charset=iso-8859-1']) {
      expectProblem(await login(`{${credentials}}`, { 'content-type': type }), 415, 'unsupported_media_type');
    }
    expectProblem(await login(`username=nobody&password=x`, FORM_TYPE), 415, 'unsupported_media_type');
    expectProblem(await login(`{${credentials}}`, {}), 415, 'unsupported_media_type');
    expectProblem(await login(`{${credentials}}`, { 'content-type': 'application/json; charset=UTF-8' }), 401, 'invalid_credentials');
  });

  it('takes forms, not JSON, on the OAuth endpoints (RFC 6749 section 3.2)', async () => {
    // RFC 6749 section 5.2: a request in the wrong encoding is a malformed one, invalid_request
    const json = await t.request('POST', '/oauth2/token', { body: { grant_type: 'password' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('application/x-www-form-urlencoded') });
    const form = await t.request('POST', '/oauth2/token', { body: 'grant_type=password&grant_type=refresh_token', headers: FORM_TYPE });
    expect(form.statusCode).toBe(400);
    expect(form.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('JSON parsing', () => {
  it('refuses duplicate keys with a 400 naming the key, at any depth and however escaped', async () => {
    const top = expectFieldError(await login(`{"username":"a","username":"b","password":"x"}`), 'username');
    expect(top.detail).toContain('"username"');
    expectFieldError(await login(`{${credentials},"profile":{"name":"a","name":"b"}}`), 'profile.name');
    expectFieldError(await login(`{${credentials},"list":[{},{"k":1,"k":2}]}`), 'list.1.k');
    expectFieldError(await login(`{"username":"a","user\\u006eame":"b","password":"x"}`), 'username');
  });

  it('refuses __proto__ and constructor.prototype keys and pollutes nothing', async () => {
    const bodies = [
      '{"__proto__":{"polluted":true}}',
      `{${credentials},"profile":{"__proto__":{"polluted":true}}}`,
      '[{"a":{"__proto__":{"polluted":true}}}]',
      '{"\\u005f_proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      `{${credentials},"x":{"constructor":{"prototype":{"polluted":true}}}}`,
    ];
    for (const body of bodies) {
      const problem = expectProblem(await login(body), 400, 'invalid_input');
      expect(problem.detail).toMatch(/__proto__/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses bodies nested deeper than 32 levels, however the depth is hidden', async () => {
    expect((await login(nested(32))).statusCode).toBe(401);
    expect(expectProblem(await login(nested(33)), 400, 'invalid_input').detail).toMatch(/deeper than 32/);
    expect(expectProblem(await login(`${'['.repeat(30_000)}${']'.repeat(30_000)}`), 400, 'invalid_input').detail).toMatch(/deeper than 32/);
    const hidden = `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)},"a":1,${credentials}}`;
    expect(expectProblem(await login(hidden), 400, 'invalid_input').detail).toMatch(/deeper than 32|more than once/);
  });

  it('answers 400, never 500, for invalid UTF-8 and malformed JSON', async () => {
    const bytes = (...b: number[]) => Buffer.concat([Buffer.from('{"username":"'), Buffer.from(b), Buffer.from(`","password":"${STRONG_PASSWORD}"}`)]);
    for (const invalid of [bytes(0xc3, 0x28), bytes(0x80), bytes(0xc0, 0xaf), bytes(0xed, 0xa0, 0x80), bytes(0xe2, 0x82)]) {
      expect(expectProblem(await login(invalid), 400, 'invalid_input').detail).toMatch(/UTF-8/);
    }
    expectProblem(await login(bytes(0xc3, 0xa9)), 401, 'invalid_credentials');
    for (const malformed of ['', ' ', '{', '{"a":1,}', "{'a':1}", 'NaN', '{"a":1} x', '// c\n{}', `{"username":"a\u0001b"}`]) {
      expectProblem(await login(malformed), 400, 'invalid_input');
    }
  });
});

describe('text fields', () => {
  it('refuses NUL and control characters with a 400 naming the field, on every surface', async () => {
    for (const name of ['a\u0000b', 'a\u0001b', 'a\u001Bb', 'a\u007Fb', 'a\u0085b']) {
      expectFieldError(await t.request('POST', '/v1/user', { body: { username: 'ctrl', password: STRONG_PASSWORD, name } }), 'name');
    }
    expectFieldError(await t.request('POST', '/v1/auth/login', { body: { username: 'hardy', password: `${STRONG_PASSWORD}\u0007` } }), 'password');
    expectFieldError(await t.request('POST', '/api/Auth/Auth', { body: { login: 'hardy\u0000', password: STRONG_PASSWORD } }), 'login');
    expectFieldError(await t.request('POST', '/user/login', { body: { username: 'hardy', password: '\u0008' } }), 'password');
    const form = await t.request('POST', '/oauth2/token', { body: 'grant_type=pass%00word', headers: FORM_TYPE });
    expect(form.statusCode).toBe(400);
    expect(form.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('grant_type') });
    // line breaks are not control characters for a multi-line field
    const address = await t.request('POST', '/v1/user/address', { token, body: { address: 'Main St 1\r\n12345 Town', type: 'home' } });
    expect(address.statusCode).toBeLessThan(300);
  });

  it('keeps look-alike usernames apart: NFKC and case folding at sign-up and login, zero-width refused', async () => {
    const kim = await registerUser(t, 'kim');
    // U+212A KELVIN SIGN, full-width letters and the "fi" ligature are the same names after NFKC
    expectProblem(await t.request('POST', '/v1/user', { body: { username: '\u212Aim', password: STRONG_PASSWORD } }), 409, 'username_taken');
    expectProblem(await t.request('POST', '/v1/user', { body: { username: 'ＫＩＭ', password: STRONG_PASSWORD } }), 409, 'username_taken');
    await registerUser(t, 'fiona');
    expectProblem(await t.request('POST', '/v1/user', { body: { username: '\uFB01ona', password: STRONG_PASSWORD } }), 409, 'username_taken');
    const sameAccount = await t.request('POST', '/v1/auth/login', { body: { username: '\u212AIM', password: STRONG_PASSWORD } });
    expect(sameAccount.statusCode).toBe(200);
    const sub = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).sub as string;
    expect(sub(sameAccount.json<{ access_token: string }>().access_token)).toBe(sub(kim.access_token));
    for (const invisible of ['k\u200Bim', 'ki\u200Dm', 'k\uFEFFim', 'kim\u2060']) {
      expectFieldError(await t.request('POST', '/v1/user', { body: { username: invisible, password: STRONG_PASSWORD } }), 'username');
    }
    // a leading BOM is trimmed as white space, so it names kim again rather than a look-alike
    expectProblem(await t.request('POST', '/v1/user', { body: { username: '\uFEFFkim', password: STRONG_PASSWORD } }), 409, 'username_taken');
  });
});

describe('lone surrogates', () => {
  /** Register with a password ending in an escaped U+FFFD: a real character, so it is accepted. */
  const REPLACEMENT = `${STRONG_PASSWORD}\\ufffd`;
  const json = (text: string) => ({ body: text, headers: JSON_TYPE });
  const form = (text: string | Buffer, headers: Record<string, string> = {}) => ({ body: text, headers: { ...FORM_TYPE, ...headers } });

  beforeAll(async () => {
    const res = await t.request('POST', '/v1/user', json(`{"username":"replacement","password":"${REPLACEMENT}"}`));
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 400 naming the field on every JSON surface, where \\ud800 and \\udfff used to be the \\ufffd password', async () => {
    for (const lone of ['\\ud800', '\\udfff', '\\udbff', 'x\\udc00y', '\\ude00\\ud83d']) {
      const password = `${STRONG_PASSWORD}${lone}`;
      expectFieldError(await t.request('POST', '/v1/auth/login', json(`{"username":"replacement","password":"${password}"}`)), 'password');
      expectFieldError(await t.request('POST', '/api/Auth/Auth', json(`{"login":"replacement","password":"${password}"}`)), 'password');
      expectFieldError(await t.request('POST', '/user/login', json(`{"username":"replacement","password":"${password}"}`)), 'password');
      expectFieldError(await t.request('POST', '/v1/api/auth/token', json(`{"username":"replacement","password":"${password}"}`)), 'password');
      expectFieldError(await t.request('POST', '/v1/user', json(`{"username":"lone${lone}","password":"${STRONG_PASSWORD}"}`)), 'username');
    }
    // anywhere in the body: a nested value, an array element, a key
    expectFieldError(await login(`{${credentials},"profile":{"name":"\\ud800"}}`), 'profile.name');
    expectFieldError(await login(`{${credentials},"list":["ok","\\udfff"]}`), 'list.1');
    expect(expectProblem(await login(`{${credentials},"\\ud800":1}`), 400, 'invalid_input').detail).toMatch(/surrogate/);
    // the escaped replacement character and a paired escape are ordinary characters
    expect((await t.request('POST', '/v1/auth/login', json(`{"username":"replacement","password":"${REPLACEMENT}"}`))).statusCode).toBe(200);
    expect((await t.request('POST', '/v1/user', json(`{"username":"smile\\ud83d\\ude00","password":"${STRONG_PASSWORD}"}`))).statusCode).toBe(200);
  });

  it('answers invalid_request for an encoded surrogate or a bad escape in an OAuth form', async () => {
    const password = encodeURIComponent(STRONG_PASSWORD);
    for (const bad of ['%ED%A0%80', '%ED%BF%BF', '%C3', '%ZZ', '100%']) {
      const res = await t.request('POST', '/oauth2/token', form(`grant_type=password&username=replacement&password=${password}${bad}`));
      expect(res.statusCode, bad).toBe(400);
      expect(res.json(), bad).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('password') });
    }
    const raw = Buffer.concat([Buffer.from(`grant_type=password&username=replacement&password=`), Buffer.from([0xed, 0xa0, 0x80])]);
    expect((await t.request('POST', '/oauth2/token', form(raw))).json()).toMatchObject({ error: 'invalid_request' });
    const introspect = await t.request('POST', '/oauth2/introspect', form('token=%ED%A0%80', { authorization: `Bearer ${token}` }));
    expect(introspect.json()).toMatchObject({ error: 'invalid_request' });
    // %EF%BF%BD is U+FFFD itself: the replacement user's password, as a form
    const good = await t.request('POST', '/oauth2/token', form(`grant_type=password&username=replacement&password=${password}%EF%BF%BD`));
    expect(good.statusCode, good.body).toBe(200);
  });

  it('refuses an encoded surrogate in the query string or the path, in each surface\'s error shape', async () => {
    expect(expectProblem(await t.request('GET', '/v1/user/profile?x=%ED%A0%80', { token }), 400, 'invalid_input').detail).toMatch(/UTF-8/);
    expectProblem(await t.request('GET', '/v1/user/profile?x=%ZZ', { token }), 400, 'invalid_input');
    expectProblem(await t.request('GET', '/v1/user/confirm/abc%ED%A0%80def'), 400, 'invalid_input');
    expectProblem(await t.request('DELETE', '/v1/user/sessions/%ED%B0%80', { token }), 400, 'invalid_input');
    const oauth = await t.request('POST', '/oauth2/token?x=%ED%A0%80', form('grant_type=client_credentials'));
    expect(oauth.statusCode).toBe(400);
    expect(oauth.json()).toMatchObject({ error: 'invalid_request' });
    expect((await t.request('GET', '/v1/user/profile?x=%EF%BF%BD%F0%9F%98%80', { token })).statusCode).toBe(200);
  });
});
