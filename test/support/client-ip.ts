/**
 * Requests from a chosen client address (inject's `remoteAddress`; its default is 127.0.0.1),
 * for throttling and enumeration tests, and header comparison that ignores what differs per
 * request anyway.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './test-app.js';

export interface FromOptions {
  /** JSON body. */
  body?: unknown;
  /** Form-encoded body (OAuth endpoints). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export function requestFrom(t: TestApp, remoteAddress: string, method: string, url: string, options: FromOptions = {}): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | object | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    payload = options.body as object;
  }
  return t.app.server.inject({ method: method as 'POST', url, headers, remoteAddress, ...(payload === undefined ? {} : { payload }) });
}

/** The login surfaces that take a username and a password, each as a request from `ip`. */
export const LOGIN_SURFACES: Record<string, (t: TestApp, ip: string, username: string, password: string) => Promise<LightMyRequestResponse>> = {
  '/v1/auth/login': (t, ip, username, password) => requestFrom(t, ip, 'POST', '/v1/auth/login', { body: { username, password } }),
  '/api/Auth/Auth': (t, ip, login, password) => requestFrom(t, ip, 'POST', '/api/Auth/Auth', { body: { login, password } }),
  '/user/login': (t, ip, username, password) => requestFrom(t, ip, 'POST', '/user/login', { body: { username, password } }),
  '/v1/api/auth/token': (t, ip, username, password) => requestFrom(t, ip, 'POST', '/v1/api/auth/token', { body: { username, password } }),
  '/oauth2/token': (t, ip, username, password) =>
    requestFrom(t, ip, 'POST', '/oauth2/token', { form: { grant_type: 'password', username, password } }),
};

/** Headers that may tell two answers apart, without the ones that differ on every request. */
export function comparableHeaders(res: LightMyRequestResponse): Record<string, unknown> {
  const { date: _date, 'x-request-id': _id, connection: _connection, ...rest } = res.headers;
  return rest;
}

/** A distinct documentation-range client address per test, so per-IP counters do not mix. */
let nextHost = 1;
export function freshIp(): string {
  const n = nextHost++;
  return `198.51.100.${n}`;
}
