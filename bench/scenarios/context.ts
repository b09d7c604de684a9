/** What every scenario of one server configuration gets: the running server and its fixtures. */
import type { VerifyServer } from '../bounds/verify-bound.js';
import type { Backend } from '../options.js';
import type { Tessera } from '../tessera/server.js';

export interface Context {
  tessera: Tessera;
  verify: VerifyServer;
  backend: Backend;
  workers: number;
  users: number;
  /** The usernames the password scenarios rotate over (>= 1,000 where there are that many). */
  rotation: string[];
  /** Access tokens of distinct users, for the bearer reads. */
  accessTokens: string[];
  /** Unused refresh tokens, one family each. */
  refreshTokens: string[];
  apiKeys: string[];
  client: { id: string; secret: string };
}
