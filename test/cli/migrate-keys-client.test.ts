/** `tessera migrate`, `keys rotate|list` and `client create`, each on a fresh database. */
import { describe, expect, it } from 'vitest';
import { lines } from '../support/run-cli.js';
import { expectOneLineError, freshDir, ok, tessera, withApp } from './cli-helpers.js';

describe('migrate', () => {
  it('applies every migration, then has nothing to do', async () => {
    const dir = freshDir();
    const applied = lines(await ok(dir, ['migrate']));
    expect(applied.slice(0, 3)).toEqual(['applied 0001-initial', 'applied 0002-api-keys', 'applied 0003-clients-issuers']);
    for (const line of applied) expect(line).toMatch(/^applied \d{4}-[a-z0-9-]+$/);
    expect(lines(await ok(dir, ['migrate']))).toEqual(['nothing to do: the schema is up to date']);
  });
});

describe('keys commands', () => {
  it('keys list shows one current key; keys rotate makes a new current key and retires the old one', async () => {
    const dir = freshDir();
    type Key = { kid: string; current: boolean; retiredAt: string | null };
    const before = JSON.parse(await ok(dir, ['keys', 'list', '--json'])) as Key[];
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ current: true, retiredAt: null });
    const rotated = /^new current key (\S+)\n$/.exec(await ok(dir, ['keys', 'rotate']))?.[1];
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(before[0]!.kid);
    const after = JSON.parse(await ok(dir, ['keys', 'list', '--json'])) as Key[];
    expect(after).toHaveLength(2);
    expect(after.find((k) => k.kid === rotated)).toMatchObject({ current: true, retiredAt: null });
    expect(after.find((k) => k.kid === before[0]!.kid)).toMatchObject({ current: false, retiredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) });
    expect(JSON.stringify(after)).not.toMatch(/PRIVATE KEY|privatePem|"d":/);
    const table = lines(await ok(dir, ['keys', 'list']));
    expect(table[0]).toMatch(/^KID\s+ALG\s+CREATED\s+RETIRED\s+CURRENT\s+ENCRYPTED$/);
    expect(table.find((l) => l.startsWith(rotated!))).toMatch(/RS256 .* yes\s+no$/);
  });
});

describe('client create', () => {
  it('prints client_id and client_secret once; the client authenticates with them', async () => {
    const dir = freshDir();
    const result = await tessera(dir, ['client', 'create', 'Billing service', '--role', 'billing', '--grant', 'client_credentials']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/shown|again/);
    const [idLine, secretLine] = lines(result.stdout);
    const clientId = /^client_id: (\S+)$/.exec(idLine ?? '')?.[1];
    const clientSecret = /^client_secret: (\S{43})$/.exec(secretLine ?? '')?.[1];
    expect(clientId && clientSecret, result.stdout).toBeTruthy();
    // the secret is on stdout once, and never in the notice or a log line on stderr
    expect(result.stdout.split(clientSecret!)).toHaveLength(2);
    expect(result.stderr).not.toContain(clientSecret!);
    const json = JSON.parse(await ok(dir, ['client', 'create', 'Reports', '--json'])) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'Reports', grantTypes: ['client_credentials'], roles: [] });
    await withApp(dir, async (app) => {
      const client = await app.core.clients.authenticate(clientId!, clientSecret!);
      expect(client).toMatchObject({ name: 'Billing service', roles: ['billing'], grantTypes: ['client_credentials'] });
      await expect(app.core.clients.authenticate(clientId!, `${clientSecret!}x`)).rejects.toMatchObject({ code: 'invalid_client' });
      await expect(app.core.clients.authenticate(json.clientId as string, json.clientSecret as string)).resolves.toBeDefined();
      expect(await app.core.store.clients.findById(clientId!)).toBeDefined();
    });
    expectOneLineError(await tessera(dir, ['client', 'create', 'x', '--grant', 'implicit']), /unknown grant type implicit/);
  });

  it('registers a public browser client: no secret, its redirect URIs, scopes and consent setting', async () => {
    const dir = freshDir();
    const args = ['client', 'create', 'Notes', '--grant', 'authorization_code', '--grant', 'refresh_token', '--auth-method', 'none'];
    const uris = ['--redirect-uri', 'http://127.0.0.1/cb', '--post-logout-redirect-uri', 'https://notes.example/bye', '--scope', 'openid', '--scope', 'email', '--no-consent'];
    const result = await tessera(dir, [...args, ...uris]);
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout)).toEqual([expect.stringMatching(/^client_id: \S+$/)]);
    expect(result.stderr).toMatch(/no secret/);
    const json = JSON.parse(await ok(dir, [...args, ...uris, '--json'])) as Record<string, unknown>;
    expect(json).not.toHaveProperty('clientSecret');
    expect(json).toMatchObject({
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['http://127.0.0.1/cb'],
      postLogoutRedirectUris: ['https://notes.example/bye'],
      scopes: ['openid', 'email'],
      consentRequired: false,
    });
    expectOneLineError(await tessera(dir, [...args]), /redirect URI/);
  });
});
