/**
 * Better Auth (devDependency, used only by the bench) on node:http and better-sqlite3, for the
 * side-by-side figures. BA_HASH=default keeps its own password hashing (scrypt); BA_HASH=argon2id
 * plugs argon2id at Tessera's parameters into its password hooks. On start it makes its tables
 * (its own migrations) and seeds BA_USERS users straight into its own `user` and `account` tables
 * with one hash computed by the configured hasher, as the Tessera seed does; then prints
 * `better-auth listening`. Users: `ba-<i>@bench.test`, all with BA_PASSWORD.
 * Environment: PORT, BA_DB (file), BA_HASH, BA_USERS, BA_PASSWORD, ARGON2_MEMORY_KIB/TIME_COST/PARALLELISM.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { hashPassword } from 'better-auth/crypto';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';

const port = Number(process.env.PORT);
const mode = process.env.BA_HASH === 'argon2id' ? 'argon2id' : 'default';
const argon2 = {
  algorithm: 2,
  memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19_456),
  timeCost: Number(process.env.ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
};
const baseURL = `http://127.0.0.1:${port}`;
const database = new Database(process.env.BA_DB ?? 'better-auth.db');
database.pragma('journal_mode = WAL');

const auth = betterAuth({
  baseURL,
  secret: randomUUID() + randomUUID(),
  database,
  telemetry: { enabled: false },
  rateLimit: { enabled: false },
  emailAndPassword: {
    enabled: true,
    ...(mode === 'argon2id'
      ? { password: { hash: (password: string) => hash(password, argon2), verify: ({ hash: stored, password }: { hash: string; password: string }) => verify(stored, password) } }
      : {}),
  },
});

async function seed(count: number, password: string): Promise<void> {
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  const stored = mode === 'argon2id' ? await hash(password, argon2) : await hashPassword(password);
  const now = new Date().toISOString();
  const user = database.prepare('insert into "user" (id, name, email, emailVerified, image, createdAt, updatedAt) values (?, ?, ?, 1, null, ?, ?)');
  const account = database.prepare(
    'insert into "account" (id, accountId, providerId, userId, password, createdAt, updatedAt) values (?, ?, \'credential\', ?, ?, ?, ?)',
  );
  database.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      user.run(id, `ba ${i}`, `ba-${i}@bench.test`, now, now);
      account.run(randomUUID(), id, id, stored, now, now);
    }
  })();
}

await seed(Number(process.env.BA_USERS ?? 1000), process.env.BA_PASSWORD!);
const handler = toNodeHandler(auth);
createServer((request, response) => void handler(request, response)).listen(port, '127.0.0.1', () => console.log(`better-auth listening (${mode})`));
