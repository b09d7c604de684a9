import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
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

/** Third-party clients against the real process: openid-client, oauth4webapi and jose's remote JWKS. */
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

  it("oauth4webapi discovers the metadata with algorithm 'oauth2' (RFC 8414) and 'oidc', and processDiscoveryResponse accepts both", async () => {
    const issuer = new URL(server.url);
    const documents = [];
    for (const algorithm of ['oauth2', 'oidc'] as const) {
      const response = await oauth.discoveryRequest(issuer, { algorithm, [oauth.allowInsecureRequests]: true });
      expect(response.status, algorithm).toBe(200);
      const as = await oauth.processDiscoveryResponse(issuer, response);
      expect(as.issuer, algorithm).toBe(server.url);
      expect(as.token_endpoint, algorithm).toBe(`${server.url}/oauth2/token`);
      expect(as.response_types_supported, algorithm).toEqual(['code']);
      expect(as.authorization_endpoint, algorithm).toBe(`${server.url}/oauth2/authorize`);
      expect(as.code_challenge_methods_supported, algorithm).toEqual(['S256']);
      expect(as.grant_types_supported, algorithm).toContain('client_credentials');
      documents.push(as);
    }
    expect(documents[0]).toEqual(documents[1]);
  });

  it("a client_credentials token passes oauth4webapi's validateJwtAccessToken (RFC 9068) for the right audience only", async () => {
    const created = await post('/v1/admin/clients', { name: 'rfc9068-client', grantTypes: ['client_credentials'] }, adminToken);
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = await json(created);
    const issuer = new URL(server.url);
    const options = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }));
    const client: oauth.Client = { client_id: clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(clientSecret), {}, options);
    const { access_token } = await oauth.processClientCredentialsResponse(as, client, response);
    const request = () => new Request(`${server.url}/resource`, { headers: { authorization: `Bearer ${access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request(), 'tessera', options);
    expect(claims).toMatchObject({ iss: server.url, aud: 'tessera', sub: clientId, client_id: clientId });
    await expect(oauth.validateJwtAccessToken(as, request(), 'another-api', options)).rejects.toThrow(/aud/);
  });

  it('openid-client: a wrong secret is invalid_client, a ResponseBodyError with client_secret_post and the Basic challenge with client_secret_basic', async () => {
    const created = await post('/v1/admin/clients', { name: 'wrong-secret-client', grantTypes: ['client_credentials'] }, adminToken);
    const { clientId, clientSecret } = await json(created);
    const discover = (auth: oidc.ClientAuth) => oidc.discovery(new URL(server.url), clientId, clientSecret, auth, { execute: [oidc.allowInsecureRequests] });

    // openid-client takes the RFC 8414 document too
    const rfc8414 = await oidc.discovery(new URL(server.url), clientId, clientSecret, oidc.ClientSecretPost(clientSecret), {
      algorithm: 'oauth2',
      execute: [oidc.allowInsecureRequests],
    });
    expect(rfc8414.serverMetadata().issuer).toBe(server.url);
    // the right secret works both ways
    expect((await oidc.clientCredentialsGrant(await discover(oidc.ClientSecretPost(clientSecret)))).access_token).toBeTruthy();
    expect((await oidc.clientCredentialsGrant(await discover(oidc.ClientSecretBasic(clientSecret)))).access_token).toBeTruthy();

    const viaPost = await oidc.clientCredentialsGrant(await discover(oidc.ClientSecretPost('not-the-secret'))).catch((error: unknown) => error);
    expect(viaPost).toBeInstanceOf(oidc.ResponseBodyError);
    expect(viaPost).toMatchObject({ error: 'invalid_client', status: 400 });

    // RFC 6749 section 5.2: after HTTP Basic a 401 with a Basic challenge, which openid-client
    // raises as the challenge; the challenge and the body both say invalid_client
    const basic = await oidc.clientCredentialsGrant(await discover(oidc.ClientSecretBasic('not-the-secret'))).catch((error: unknown) => error);
    expect(basic).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    const challenge = basic as oidc.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause).toEqual([expect.objectContaining({ scheme: 'basic', parameters: expect.objectContaining({ error: 'invalid_client' }) })]);
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
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
