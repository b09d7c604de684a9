import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import type { PasswordHasher } from '../../src/core/ports.js';
import { Argon2Hasher } from '../../src/infra/argon2-hasher.js';
import { BoundedHasher } from '../../src/infra/hashing/bounded-hasher.js';

/** The real argon2id hasher, with each hash held at a gate the test opens: "under way" is decided here. */
function gatedArgon2() {
  const real = new Argon2Hasher({ memoryKib: 1024, timeCost: 1, parallelism: 1 });
  const gates: Array<() => void> = [];
  let started = 0;
  const hasher: PasswordHasher = {
    needsRehash: (stored) => real.needsRehash(stored),
    verify: async (stored, password) => {
      started += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      return real.verify(stored, password);
    },
    hash: async (password) => {
      started += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      return real.hash(password);
    },
  };
  return { hasher, real, started: () => started, openOne: () => gates.shift()?.(), waiting: () => gates.length };
}

describe('bounded password hashing (load shedding)', () => {
  it('runs `concurrency` at once, queues `queue` more, refuses the rest at once with 503 + Retry-After', async () => {
    const gated = gatedArgon2();
    const stored = await gated.real.hash('pw');
    const bounded = new BoundedHasher(gated.hasher, { concurrency: 2, queue: 3 });
    const calls = Array.from({ length: 8 }, () => bounded.verify(stored, 'pw'));
    // The three past running + queued are refused before anything finishes.
    const refused = await Promise.allSettled(calls.slice(5));
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason as AuthError;
      expect(error).toBeInstanceOf(AuthError);
      expect(error.code).toBe('unavailable');
      expect(error.extra.retryAfter).toBe(1);
    }
    expect(gated.started()).toBe(2);
    expect(bounded.load).toEqual({ running: 2, waiting: 3 });
    // Each finished hash hands its slot to the next in line.
    while (gated.waiting() > 0 || bounded.load.waiting > 0) {
      gated.openOne();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(calls.slice(0, 5))).toEqual([true, true, true, true, true]);
    expect(gated.started()).toBe(5);
    expect(bounded.load).toEqual({ running: 0, waiting: 0 });
  });

  it('a failing hash frees its slot too', async () => {
    const failing: PasswordHasher = { hash: () => Promise.reject(new Error('boom')), verify: () => Promise.reject(new Error('boom')), needsRehash: () => false };
    const bounded = new BoundedHasher(failing, { concurrency: 1, queue: 0 });
    await expect(bounded.hash('a')).rejects.toThrow('boom');
    await expect(bounded.hash('b')).rejects.toThrow('boom');
    expect(bounded.load).toEqual({ running: 0, waiting: 0 });
  });
});
