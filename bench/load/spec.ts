/** What the load process is asked to send, and what it answers (plain JSON over IPC). */

export interface RequestVariant {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export type LoadSpec = {
  url: string;
  connections: number;
  warmup: number;
  duration: number;
} & (
  /** Round-robin over fixed requests (users, tokens, keys). */
  | { mode: 'rotate'; variants: RequestVariant[] }
  /** Each 200 answer's refresh_token goes back into the pool: no token is presented twice. */
  | { mode: 'refresh'; path: string; tokens: string[] }
  /** A new username per request. */
  | { mode: 'register'; path: string; prefix: string; password: string }
);

export interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** Status codes that were not 2xx, with their counts. */
  statuses: Record<string, number>;
  note?: string;
}

export type LoadMessage = { type: 'measuring' } | { type: 'result'; result: LoadResult } | { type: 'error'; message: string };
