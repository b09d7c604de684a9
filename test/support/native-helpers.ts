import type { LightMyRequestResponse } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import { STRONG_PASSWORD, type TestApp } from './test-app.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
  [member: string]: unknown;
}

/**
 * Asserts an RFC 9457 problem answer with this status (and code, when given), no stack trace and
 * no-store, and returns its body.
 */
export function expectProblem(res: LightMyRequestResponse, status: number, code?: string): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['cache-control']).toBe('no-store');
  const body = res.json<ProblemBody>();
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  expect(res.body).not.toMatch(/"stack"|\bat .+\.(ts|js):\d+/);
  return body;
}

/** Asserts a 400 whose `errors` name `field`. */
export function expectFieldError(res: LightMyRequestResponse, field: string): ProblemBody {
  const body = expectProblem(res, 400);
  expect(Array.isArray(body.errors), res.body).toBe(true);
  for (const error of body.errors!) expect(typeof error.message).toBe('string');
  expect(body.errors!.map((e) => e.field)).toContain(field);
  return body;
}

export async function login(t: TestApp, username: string, password = STRONG_PASSWORD): Promise<TokenPair> {
  const res = await t.request('POST', '/v1/auth/login', { body: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return res.json<TokenPair>();
}

/** The mails sent to `address` so far, oldest first. */
export async function mailsTo(t: TestApp, address: string): Promise<ParsedMail[]> {
  const all = await t.mails();
  return all.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((to) => to?.text.toLowerCase().includes(address.toLowerCase())));
}

/**
 * The one mail sent to `address` that is not among `seen` (compared by Message-ID, since outbox
 * file names written in the same millisecond do not sort by time); fails on none or several.
 */
export async function newMailTo(t: TestApp, address: string, seen: ParsedMail[] = []): Promise<ParsedMail> {
  const known = new Set(seen.map((m) => m.messageId));
  const fresh = (await mailsTo(t, address)).filter((m) => !known.has(m.messageId));
  expect(fresh.length).toBe(1);
  return fresh[0]!;
}
