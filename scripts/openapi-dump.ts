/**
 * Writes the OpenAPI document GET /openapi.json serves to a file: `tsx scripts/openapi-dump.ts <file>`.
 * The app is built in this process on a throwaway SQLite file (no listener, no network), with a
 * fixed PUBLIC_URL so the document does not depend on the environment. CI lints the file
 * (.ci/run: redocly, recommended ruleset).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/load-config.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: tsx scripts/openapi-dump.ts <file>\n');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-openapi-'));
try {
  const { config } = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'tessera.db')}`,
    OUTBOX_DIR: join(dir, 'outbox'),
    PUBLIC_URL: 'http://localhost:8080',
    LOG_LEVEL: 'warn',
  });
  const app = await createApp(config);
  try {
    const res = await app.server.inject({ method: 'GET', url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}: ${res.body}`);
    writeFileSync(out, `${JSON.stringify(res.json(), null, 2)}\n`);
  } finally {
    await app.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`OpenAPI document written to ${out}\n`);
