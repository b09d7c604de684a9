import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** Seed 001's 200 answer of POST /user/login, PascalCase as the seed shows it. */
interface Seed001Login {
  Id: string;
  Created: string;
  Username: string;
  Email: string | null;
  Firstname: string;
  Lastname: string;
  Token: string;
  PasswordExpiration: string | null;
}

const SEED_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = ['Created', 'Email', 'Firstname', 'Id', 'Lastname', 'PasswordExpiration', 'Token', 'Username'];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const userLogin = (body: unknown, headers?: Record<string, string>) => t.request('POST', '/user/login', { body, headers });

describe('auth-headers (seed 001): POST /user/login', () => {
  it('answers 200 with exactly the seed fields, types and formats', async () => {
    const registeredAt = t.clock.now();
    const registered = await registerUser(t, 'john.doe', STRONG_PASSWORD, { email: 'john@example.com', name: 'John Doe' });
    const res = await userLogin({ username: 'john.doe', password: STRONG_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Seed001Login>();
    expect(Object.keys(body).sort()).toEqual(FIELDS);

    expect(body.Id).toMatch(UUID);
    expect(body.Id).toBe(decodeJwt(registered.access_token).sub);
    expect(body.Created).toMatch(SEED_DATE_TIME);
    expect(body.Created).toBe(new Date(registeredAt).toISOString().slice(0, 19));
    expect(body.Username).toBe('john.doe');
    expect(body.Email).toBe('john@example.com');
    expect(body.Firstname).toBe('John');
    expect(body.Lastname).toBe('Doe');
    expect(typeof body.Token).toBe('string');
    expect(body.Token.split('.')).toHaveLength(3);
    expect(decodeJwt(body.Token).sub).toBe(body.Id);
    // Passwords never expire by default: nothing to show.
    expect(body.PasswordExpiration).toBeNull();
  });

  it('renders a user without a name by the username (Lastname empty, never null), and splits a longer name after its first word', async () => {
    await registerUser(t, 'plain-user');
    const bare = (await userLogin({ username: 'plain-user', password: STRONG_PASSWORD })).json<Seed001Login>();
    expect(bare.Email).toBeNull();
    expect(bare.Firstname).toBe('plain-user');
    expect(bare.Lastname).toBe('');

    await registerUser(t, 'long-name', STRONG_PASSWORD, { name: 'Mary Ann van Dyke' });
    const named = (await userLogin({ username: 'long-name', password: STRONG_PASSWORD })).json<Seed001Login>();
    expect(named.Firstname).toBe('Mary');
    expect(named.Lastname).toBe('Ann van Dyke');
  });

  it('gives a Token that authenticates as a bare "Authorization: <jwt>" and as Bearer', async () => {
    await registerUser(t, 'bare-jwt');
    const { Token } = (await userLogin({ username: 'bare-jwt', password: STRONG_PASSWORD })).json<Seed001Login>();
    const bare = await t.request('GET', '/authheader/list', { headers: { authorization: Token } });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json()).toEqual([]);
    const bearer = await t.request('GET', '/v1/user/profile', { token: Token });
    expect(bearer.statusCode, bearer.body).toBe(200);
  });

  it('answers wrong credentials with 401 problem JSON, alike for an unknown user', async () => {
    await registerUser(t, 'wrong-001');
    const wrong = expectProblem(await userLogin({ username: 'wrong-001', password: 'definitely not it' }), 401, 'invalid_credentials');
    const ghost = await userLogin({ username: 'ghost-001', password: STRONG_PASSWORD });
    const unknown = expectProblem(ghost, 401, 'invalid_credentials');
    expect(unknown.detail).toBe(wrong.detail);
    expect(ghost.headers['www-authenticate']).toMatch(/^Bearer realm="tessera"/);
  });

  it('answers an expired password with 403 problem JSON saying passwordExpired', async () => {
    const registered = await registerUser(t, 'expired-001');
    await t.app.core.credentials.expireNow(decodeJwt(registered.access_token).sub!, {});
    const body = expectProblem(await userLogin({ username: 'expired-001', password: STRONG_PASSWORD }), 403, 'password_expired');
    expect(body.passwordExpired).toBe(true);
    expect(body.Token).toBeUndefined();
    expect(typeof body.restrictedToken).toBe('string');
    expect(decodeJwt(body.restrictedToken as string).token_use).toBe('password_change');
    // A wrong password on an expired account is still 401, so 403 proves the password.
    expectProblem(await userLogin({ username: 'expired-001', password: 'definitely not it' }), 401);
  });

  it('answers a missing field with 400 problem JSON naming it', async () => {
    const body = expectProblem(await userLogin({ username: 'someone' }), 400);
    expect(body.errors?.map((e) => e.field)).toContain('password');
  });

  it('shows PasswordExpiration as a seed date-time when passwords expire', async () => {
    const other = await createTestApp({ PASSWORD_MAX_AGE_DAYS: '30' });
    try {
      const registeredAt = other.clock.now();
      await registerUser(other, 'aging-user');
      const res = await other.request('POST', '/user/login', { body: { username: 'aging-user', password: STRONG_PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<Seed001Login>();
      expect(body.PasswordExpiration).toMatch(SEED_DATE_TIME);
      expect(body.PasswordExpiration).toBe(new Date(registeredAt + 30 * 86_400_000).toISOString().slice(0, 19));
    } finally {
      await other.close();
    }
  });
});
