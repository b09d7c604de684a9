import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretHash } from '../../src/core/secrets.js';
import type { TokenPair } from '../../src/core/sessions/session.service.js';
import type { User } from '../../src/core/users/user.types.js';
import { createTestCore, GOOD_PASSWORD, type TestCore, changePassword, NATIVE_ORIGIN } from '../support/test-core.js';

const context = { surface: 'native', ip: '203.0.113.9' };

describe('refresh-token sessions', () => {
  let t: TestCore;
  let user: User;

  beforeEach(async () => {
    t = await createTestCore({ options: { refreshTtlSeconds: 3_600 } });
    user = await t.register('sam');
  });

  afterEach(async () => {
    await t.close();
  });

  async function login(): Promise<TokenPair> {
    const result = await t.core.login.sessionOrRestricted('sam', GOOD_PASSWORD, context, NATIVE_ORIGIN);
    if (result.kind !== 'session') throw new Error(`expected a session, got ${result.kind}`);
    return result.tokens;
  }

  it('rotation issues a new refresh token in the same family and marks the old one used', async () => {
    const first = await login();
    t.clock.advanceSeconds(10);
    const second = await t.core.sessions.refresh(first.refreshToken, context);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    expect((await t.store.sessions.findTokenByHash(secretHash(first.refreshToken)))?.usedAt).toBe(t.clock.now());
    expect((await t.store.sessions.findTokenByHash(secretHash(second.refreshToken)))?.usedAt).toBeNull();
    expect((await t.store.sessions.findSession(first.sessionId))?.lastUsedAt).toBe(t.clock.now());
    await expect(t.core.tokens.verify(second.access.token)).resolves.toMatchObject({ subject: user.id });
    const third = await t.core.sessions.refresh(second.refreshToken, context);
    expect(third.sessionId).toBe(first.sessionId);
  });

  it('stores only hashes of refresh tokens', async () => {
    const { refreshToken } = await login();
    expect(await t.store.sessions.findTokenByHash(refreshToken)).toBeUndefined();
    expect(Buffer.from(refreshToken, 'base64url')).toHaveLength(32);
  });

  it('reuse of a used token revokes the family, so its successor fails too', async () => {
    const first = await login();
    const second = await t.core.sessions.refresh(first.refreshToken, context);
    await expect(t.core.sessions.refresh(first.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    await expect(t.core.sessions.refresh(second.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(await t.store.sessions.findSession(first.sessionId)).toMatchObject({ revokedReason: 'refresh_token_reused' });
    const events = await t.core.audit.list({ userId: user.id, limit: 10 });
    expect(events.map((e) => e.type)).toContain('token.reuse_detected');
  });

  it('reuse in one family leaves the user’s other sessions alone', async () => {
    const phone = await login();
    const laptop = await login();
    await t.core.sessions.refresh(phone.refreshToken, context);
    await expect(t.core.sessions.refresh(phone.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    await expect(t.core.sessions.refresh(laptop.refreshToken, context)).resolves.toMatchObject({ sessionId: laptop.sessionId });
  });

  it('concurrent refreshes of one token: exactly one wins', async () => {
    const { refreshToken } = await login();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => t.core.sessions.refresh(refreshToken, context)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
    // the first loser detects the reuse and revokes the family; later ones find it revoked
    expect(codes.sort()).toEqual([...Array(6).fill('refresh_token_invalid'), 'refresh_token_reused']);
  });

  it('a refresh token expires with the clock', async () => {
    const first = await login();
    t.clock.advanceSeconds(3_599);
    const second = await t.core.sessions.refresh(first.refreshToken, context);
    t.clock.advanceSeconds(3_600);
    await expect(t.core.sessions.refresh(second.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('unknown tokens are invalid', async () => {
    await expect(t.core.sessions.refresh('not-a-token', context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('revokeAllForUser ends every family of the user, and lists no live session after', async () => {
    const a = await login();
    const b = await login();
    const other = await t.register('other');
    const theirs = await t.core.sessions.start(other, context, NATIVE_ORIGIN);
    expect((await t.core.sessions.listSessions(user.id)).map((s) => s.id).sort()).toEqual([a.sessionId, b.sessionId].sort());
    expect(await t.store.sessions.revokeAllForUser(user.id, t.clock.now(), 'admin')).toBe(2);
    for (const pair of [a, b]) {
      await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    }
    expect(await t.core.sessions.listSessions(user.id)).toEqual([]);
    await expect(t.core.sessions.refresh(theirs.refreshToken, context)).resolves.toBeDefined();
  });

  it('a password change revokes every session of the user', async () => {
    const pair = await login();
    await changePassword(t, user, 'a brand new passphrase', GOOD_PASSWORD, context);
    await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('logout revokes the family of a token, once', async () => {
    const pair = await login();
    expect(await t.core.sessions.revokeByToken(pair.refreshToken, context)).toBe(true);
    expect(await t.core.sessions.revokeByToken(pair.refreshToken, context)).toBe(false);
    await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('a locked user cannot refresh, and the family stays dead after unlocking', async () => {
    const pair = await login();
    await t.store.users.update(user.id, { locked: true });
    await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    await t.store.users.update(user.id, { locked: false });
    await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(await t.store.sessions.findSession(pair.sessionId)).toMatchObject({ revokedReason: 'user_unavailable' });
  });

  it('an expired password stops refreshes', async () => {
    const pair = await login();
    await t.store.users.update(user.id, { passwordExpiresAt: t.clock.now() });
    await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'password_expired' });
  });

  it('a user cannot revoke another user’s session', async () => {
    const pair = await login();
    const other = await t.register('mallory');
    await expect(t.core.sessions.revokeSession(other.id, pair.sessionId, context)).rejects.toMatchObject({ code: 'not_found' });
    await t.core.sessions.revokeSession(user.id, pair.sessionId, context);
    await expect(t.core.sessions.revokeSession(user.id, pair.sessionId, context)).rejects.toMatchObject({ code: 'not_found' });
  });
});
