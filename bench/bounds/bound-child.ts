/**
 * One process of a CPU bound, forked by run-bound.ts: `argon2` (argon2id verifications of a hash
 * at the given parameters) or `sign` (jose JWT signatures with a fresh key of the algorithm).
 * Keeps `inFlight` operations going; after `go` it warms up, then counts for `duration` seconds.
 */
import { hash, verify } from '@node-rs/argon2';
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';

export interface BoundTask {
  kind: 'argon2' | 'sign';
  inFlight: number;
  warmup: number;
  duration: number;
  argon2?: { memoryKib: number; timeCost: number; parallelism: number };
  algorithm?: string;
}

async function operation(task: BoundTask): Promise<() => Promise<unknown>> {
  if (task.kind === 'argon2') {
    const password = 'benchmark harbor violet 2024';
    const { memoryKib, timeCost, parallelism } = task.argon2!;
    const stored = await hash(password, { algorithm: 2, memoryCost: memoryKib, timeCost, parallelism });
    return () => verify(stored, password);
  }
  const alg = task.algorithm!;
  const { privateKey } = await generateKeyPair(alg, alg === 'RS256' ? { modulusLength: 2048 } : {});
  // The claims of a Tessera access token (RFC 9068 profile), so the signed input is as long.
  return () =>
    new SignJWT({
      client_id: 'tessera',
      sid: randomUUID(),
      roles: [],
      accounts: [],
      username: 'bench-0000001',
      email: null,
      email_verified: true,
      locale: null,
    })
      .setProtectedHeader({ alg, typ: 'at+jwt', kid: 'bench-key-id-0000000000000000' })
      .setIssuer('http://127.0.0.1:8080')
      .setAudience('tessera')
      .setSubject(randomUUID())
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(privateKey);
}

async function measure(task: BoundTask, op: () => Promise<unknown>): Promise<{ count: number; seconds: number; cpuSeconds: number }> {
  let counting = false;
  let count = 0;
  let stopAt = performance.now() + task.warmup * 1000;
  const loop = async () => {
    while (performance.now() < stopAt) {
      await op();
      if (counting) count += 1;
    }
  };
  await Promise.all(Array.from({ length: task.inFlight }, loop));
  counting = true;
  const cpu = process.cpuUsage();
  const start = performance.now();
  stopAt = start + task.duration * 1000;
  await Promise.all(Array.from({ length: task.inFlight }, loop));
  const used = process.cpuUsage(cpu);
  return { count, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

process.once('message', (task: BoundTask) => {
  void operation(task).then((op) => {
    process.send!({ type: 'ready' });
    process.once('message', () => {
      void measure(task, op).then((result) => {
        process.send!({ type: 'result', ...result });
        process.disconnect();
      });
    });
  });
});
