import { afterEach, describe, expect, it } from 'vitest';
import { createTestCore, GOOD_PASSWORD, type TestCore } from '../support/test-core.js';

const open: TestCore[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

describe('the bootstrap admin', () => {
  it('instances starting at once each ensure it: one creates it, the others find it, none fails', async () => {
    const first = await createTestCore();
    open.push(first);
    const others = await Promise.all([createTestCore({ sharing: first }), createTestCore({ sharing: first })]);
    open.push(...others);
    // All three check before any has inserted (hashing the password takes a while): a real race.
    const created = await Promise.all([first, ...others].map((t) => t.core.users.ensureAdmin('root', GOOD_PASSWORD)));
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await first.core.users.ensureAdmin('root', GOOD_PASSWORD)).toBe(false);
  });
});
