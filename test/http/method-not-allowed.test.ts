/**
 * A known path asked with a method no route takes is a 405 with `Allow` (RFC 9110 15.5.6), read
 * from Fastify's router; TRACE is a 405 on every path; an unknown path stays a 404. Under /oauth2
 * the 405 is RFC 6749's `{error: "invalid_request", error_description}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

let t: TestApp;
let cors: TestApp;
let token: string;
beforeAll(async () => {
  [t, cors] = await Promise.all([createTestApp(), createTestApp({ CORS_ORIGINS: 'https://app.example' })]);
  token = (await registerUser(t, 'method-user')).access_token;
});
afterAll(async () => Promise.all([t.close(), cors.close()]));

const allowOf = (res: { headers: Record<string, unknown> }) => String(res.headers.allow).split(', ').sort();

describe('405 Method Not Allowed on a known path', () => {
  it.each([
    ['POST', '/v1/user/profile', ['GET', 'HEAD']],
    ['PUT', '/v1/user/profile', ['GET', 'HEAD']],
    ['GET', '/v1/auth/login', ['POST']],
    ['DELETE', '/healthz', ['GET', 'HEAD']],
    ['PATCH', '/.well-known/jwks.json', ['GET', 'HEAD']],
    // a parameterised route, and one with GET, PATCH and DELETE on the same pattern
    ['POST', '/v1/user/confirm/a-mailed-code-0123', ['GET', 'HEAD']],
    ['PUT', '/v1/admin/users/00000000-0000-4000-8000-000000000000?x=1', ['DELETE', 'GET', 'HEAD', 'PATCH']],
    ['GET', '/v1/user/password/change', ['POST']],
  ])('%s %s -> 405, Allow: %j', async (method, url, allow) => {
    const res = await t.request(method, url, { token });
    const body = expectProblem(res, 405, 'method_not_allowed');
    expect(allowOf(res)).toEqual(allow);
    expect(body.detail).toContain(method);
    // the path is not echoed (it may carry a mailed code)
    expect(res.body).not.toContain('a-mailed-code');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers before the body is read: a wrong method with a broken, an unknown or an oversized body is a 405', async () => {
    for (const [type, body] of [
      ['application/json', '{"broken'],
      ['text/csv', 'a,b'],
      ['application/json', JSON.stringify({ big: 'x'.repeat(128 * 1024) })],
    ]) {
      expectProblem(await t.request('PUT', '/v1/user/profile', { headers: { 'content-type': type! }, body }), 405, 'method_not_allowed');
    }
    const oauth = await t.request('PUT', '/oauth2/token', { headers: { 'content-type': 'application/json' }, body: '{"broken' });
    expect(oauth.statusCode).toBe(405);
    expect(oauth.json<{ error: string }>().error).toBe('invalid_request');
  });

  it('keeps answering the methods a path has: GET, HEAD on GET routes, POST', async () => {
    expect((await t.request('GET', '/healthz')).statusCode).toBe(200);
    const head = await t.request('HEAD', '/.well-known/jwks.json');
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect((await t.request('HEAD', '/v1/user/profile', { token })).statusCode).toBe(200);
    expect((await t.request('GET', '/v1/user/profile', { token })).statusCode).toBe(200);
  });

  it('leaves an unknown path a 404, whatever the method', async () => {
    expectProblem(await t.request('GET', '/v1/nothing-here'), 404, 'not_found');
    expectProblem(await t.request('POST', '/v1/user/profile/extra'), 404, 'not_found');
    expect((await t.request('DELETE', '/v1/nothing-here')).headers).not.toHaveProperty('allow');
  });
});

describe('TRACE', () => {
  it.each(['/', '/healthz', '/v1/user/profile', '/no/such/path', '/oauth2/token'])('TRACE %s -> 405', async (url) => {
    const res = await t.request('TRACE', url, { headers: { cookie: 'echo-me=1' } });
    expect(res.statusCode).toBe(405);
    expect(res.headers).toHaveProperty('allow');
    expect(res.headers.allow).not.toContain('TRACE');
    expect(res.body).not.toContain('echo-me');
  });

  it('names no method on a path that has none, and the known ones where there are', async () => {
    expect((await t.request('TRACE', '/no/such/path')).headers.allow).toBe('');
    expect(allowOf(await t.request('TRACE', '/healthz'))).toEqual(['GET', 'HEAD']);
  });
});

describe('under /oauth2 the 405 is an RFC 6749 error', () => {
  it.each([
    ['GET', '/oauth2/token'],
    ['PUT', '/oauth2/introspect'],
    ['DELETE', '/oauth2/revoke'],
    ['TRACE', '/oauth2/token'],
    // an escape that routes to /oauth2/token is judged as routing did, not by the raw text
    ['GET', '/%6Fauth2/token'],
  ])('%s %s -> 405 {error: invalid_request, error_description}, Allow: POST', async (method, url) => {
    const res = await t.request(method, url);
    expect(res.statusCode).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.allow).toBe('POST');
    const body = res.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toContain(method);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers).toHaveProperty('x-request-id');
  });

  it('an unknown path under /oauth2 is still the 404 problem', async () => {
    expectProblem(await t.request('GET', '/oauth2/nothing'), 404, 'not_found');
  });

  it('the discovery document (outside /oauth2) keeps problem JSON', async () => {
    expectProblem(await t.request('POST', '/.well-known/openid-configuration'), 405, 'method_not_allowed');
  });
});

describe('with CORS on (a wildcard OPTIONS route answers every path)', () => {
  it('an unknown path stays a 404; a known one lists OPTIONS among its methods', async () => {
    expectProblem(await cors.request('GET', '/no/such/path'), 404, 'not_found');
    const res = await cors.request('POST', '/healthz');
    expectProblem(res, 405, 'method_not_allowed');
    expect(allowOf(res)).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });
});
