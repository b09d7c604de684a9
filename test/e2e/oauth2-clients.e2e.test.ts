import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../support/server-process.js';

const ADMIN_PASSWORD = 'an admin passphrase for e2e';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text}`);
  }
}

/** Third-party clients against the real process: openid-client and jose's remote JWKS. */
describe('OAuth and resource-server clients against a running Tessera', () => {
  let server: ServerProcess;
  let adminToken: string;

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const port = await freePort();
    // The issuer must be the URL clients discover it at.
    server = await startServer({ port, env: { PUBLIC_URL: `http://127.0.0.1:${port}`, TESSERA_BOOTSTRAP_ADMIN: `admin:${ADMIN_PASSWORD}`, LOG_LEVEL: 'warn' } });
    adminToken = (await json(await post('/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }))).access_token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('verifies tokens with createRemoteJWKSet before and after a key rotation', async () => {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`), { cooldownDuration: 0 });
    const verify = (token: string) => jwtVerify(token, jwks, { issuer: server.url, audience: 'tessera', algorithms: ['RS256'] });
    const before = (await json(await post('/v1/user', { username: 'rs-user', password: 'a resource server passphrase' }))).access_token;
    const { protectedHeader: oldHeader } = await verify(before);

    const rotated = await fetch(`${server.url}/v1/admin/keys/rotate`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    expect(rotated.status).toBe(200);
    const after = (await json(await post('/v1/auth/login', { username: 'rs-user', password: 'a resource server passphrase' }))).access_token;
    const { protectedHeader: newHeader, payload } = await verify(after);
    expect(newHeader.kid).not.toBe(oldHeader.kid);
    expect(payload.username).toBe('rs-user');
    // The old key stays published until its tokens expire, so the first token still verifies.
    await expect(verify(before)).resolves.toBeTruthy();
    const pem = await (await fetch(`${server.url}/v1/auth/publicKey`)).text();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('runs openid-client discovery, client_credentials and refresh_token', async () => {
    const created = await post('/v1/admin/clients', { name: 'e2e-client', grantTypes: ['client_credentials', 'refresh_token', 'password'] }, adminToken);
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = await json(created);
    const config = await oidc.discovery(new URL(server.url), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata().token_endpoint).toBe(`${server.url}/oauth2/token`);

    const cc = await oidc.clientCredentialsGrant(config);
    expect(cc.token_type.toLowerCase()).toBe('bearer');
    expect(cc.expires_in).toBe(900);

    await post('/v1/user', { username: 'oidc-user', password: 'an oidc client passphrase' });
    const pw = await oidc.genericGrantRequest(config, 'password', { username: 'oidc-user', password: 'an oidc client passphrase' });
    expect(pw.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(config, pw.refresh_token!);
    expect(refreshed.access_token).not.toBe(pw.access_token);
    const introspection = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspection).toMatchObject({ active: true, username: 'oidc-user' });

    // reuse of a rotated refresh token ends the family, and with it the access token of the winner
    await expect(oidc.refreshTokenGrant(config, pw.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
    expect((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active).toBe(false);

    const again = await oidc.genericGrantRequest(config, 'password', { username: 'oidc-user', password: 'an oidc client passphrase' });
    await oidc.tokenRevocation(config, again.refresh_token!);
    expect((await oidc.tokenIntrospection(config, again.refresh_token!)).active).toBe(false);
    expect((await oidc.tokenIntrospection(config, again.access_token)).active).toBe(false);
  });
});
