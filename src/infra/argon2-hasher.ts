import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
import type { PasswordHasher } from '../core/ports.js';

export interface Argon2Options {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

/** argon2id (RFC 9106) on libuv's thread pool. Defaults follow OWASP: m=19 MiB, t=2, p=1. */
export class Argon2Hasher implements PasswordHasher {
  constructor(private readonly options: Argon2Options) {}

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: ARGON2ID,
      memoryCost: this.options.memoryKib,
      timeCost: this.options.timeCost,
      parallelism: this.options.parallelism,
    });
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }

  needsRehash(stored: string): boolean {
    const match = PHC.exec(stored);
    if (!match) return true;
    const [, m, t, p] = match.map(Number);
    return m !== this.options.memoryKib || t !== this.options.timeCost || p !== this.options.parallelism;
  }
}
