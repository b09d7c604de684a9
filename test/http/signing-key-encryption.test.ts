import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/infra/logger.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir();
const base = { DATABASE_URL: `sqlite:${dir.path}/keys.db`, OUTBOX_DIR: `${dir.path}/outbox`, LOG_LEVEL: 'silent' };
const key = randomBytes(32).toString('hex');

async function open(env: Record<string, string>) {
  return createApp(loadConfig({ ...base, ...env }).config, { logger: createLogger('silent') });
}

describe('KEY_ENCRYPTION_KEY', () => {
  afterAll(() => dir.remove());

  it('keeps signing keys encrypted at rest and refuses to start without the right key', async () => {
    const first = await open({ KEY_ENCRYPTION_KEY: key });
    const records = await first.core.store.signingKeys.listVerifiable(0);
    expect(records).toHaveLength(1);
    expect(records[0]!.privatePem.startsWith('enc:v1:')).toBe(true);
    expect(records[0]!.privatePem).not.toContain('PRIVATE KEY');
    const kid = (await first.core.keys.jwks()).keys[0]!.kid;
    await first.close();

    await expect(open({})).rejects.toThrow(/set KEY_ENCRYPTION_KEY/);
    await expect(open({ KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex') })).rejects.toThrow(/not the key it was encrypted with/);

    const again = await open({ KEY_ENCRYPTION_KEY: key });
    expect((await again.core.keys.jwks()).keys[0]!.kid).toBe(kid);
    expect((await again.core.keys.list())[0]).toMatchObject({ kid, current: true, encrypted: true });
    await again.close();
  });
});
