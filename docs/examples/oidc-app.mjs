// A web app that signs its users in with Tessera (npm install openid-client; node oidc-app.mjs).
import { createServer } from 'node:http';
import * as client from 'openid-client';

const TESSERA = process.env.TESSERA_URL ?? 'http://localhost:8080'; // its PUBLIC_URL, the issuer
const APP = process.env.APP_URL ?? 'http://localhost:3000';
const redirect_uri = `${APP}/callback`;
const config = await client.discovery(new URL(TESSERA), process.env.CLIENT_ID, undefined, client.None(), {
  execute: TESSERA.startsWith('http:') ? [client.allowInsecureRequests] : [], // plain http: local tries only
});
const pending = new Map(); // state -> { verifier, nonce }: keep it in your session store

async function handle(req, res) {
  const url = new URL(req.url, APP);
  if (url.pathname === '/login') {
    const verifier = client.randomPKCECodeVerifier(), state = client.randomState(), nonce = client.randomNonce();
    pending.set(state, { verifier, nonce });
    const code_challenge = await client.calculatePKCECodeChallenge(verifier);
    const target = client.buildAuthorizationUrl(config, { redirect_uri, scope: 'openid profile email', state, nonce, code_challenge, code_challenge_method: 'S256' });
    res.writeHead(302, { location: target.href }).end();
  } else if (url.pathname === '/callback') {
    const state = url.searchParams.get('state');
    const { verifier, nonce } = pending.get(state) ?? {};
    pending.delete(state);
    const tokens = await client.authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const user = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`Hello ${user.name ?? user.preferred_username} (${user.sub})\n`);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/login">Sign in with Tessera</a>');
  }
}

createServer((req, res) => handle(req, res).catch((error) => res.writeHead(400).end(`Sign-in failed: ${error.message}\n`)))
  .listen(Number(new URL(APP).port || 80), () => console.log(`app on ${APP}`));
