import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswordList } from '../core/ports.js';

/** zxcvbn-ts's offline list of common passwords, compared case-insensitively. */
export function commonPasswordList(): CommonPasswordList {
  const set = new Set(dictionary.passwords.map((p) => p.toLowerCase()));
  return { has: (password) => set.has(password.toLowerCase()) };
}
