/**
 * The bearer-read bound: a bare Fastify server whose route only verifies the presented JWT with
 * jose against Tessera's own keys (same issuer, audience and `typ` checks), and a bare hello
 * route. Its own process; BENCH_VERIFY_WORKERS > 1 runs that many node:cluster workers, like
 * Tessera's WORKERS. Configured by environment: PORT, BENCH_JWKS (JSON), BENCH_ISSUER, BENCH_AUDIENCE.
 */
import cluster from 'node:cluster';
import Fastify from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

const workers = Number(process.env.BENCH_VERIFY_WORKERS ?? 1);
const port = Number(process.env.PORT);

async function serve(): Promise<void> {
  const keys = createLocalJWKSet(JSON.parse(process.env.BENCH_JWKS!) as JSONWebKeySet);
  const issuer = process.env.BENCH_ISSUER!;
  const audience = process.env.BENCH_AUDIENCE!;
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
  app.get('/verify', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined) return reply.code(401).send({ error: 'no token' });
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience, typ: 'at+jwt' });
      return { sub: payload.sub };
    } catch {
      return reply.code(401).send({ error: 'invalid token' });
    }
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.({ type: 'listening' });
}

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i += 1) {
    cluster.fork().on('listening', () => {
      listening += 1;
      if (listening === workers) console.log(`verify bound: ${workers} workers listening`);
    });
  }
} else {
  serve().then(
    () => {
      if (workers <= 1) console.log('verify bound: 1 process listening');
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
