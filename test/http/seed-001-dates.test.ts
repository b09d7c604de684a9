import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Seed 001 shows its date-times as `2023-01-15T10:30:42`: whole seconds, no fraction, no offset.
 * Every date-time of every seed 001 answer keeps that form, without X-nugios-timezone (UTC) and
 * with it (the local time of that offset, still no suffix), so a client parsing it strictly reads
 * all of them.
 */
const SEED_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;
/** Anything that starts like a date: every such string in a seed 001 body must be the seed form. */
const DATE_LIKE = /^\d{4}-\d\d-\d\d/;
/** The instant of the seed's own example, with milliseconds that must not show. */
const INSTANT = Date.UTC(2023, 0, 15, 10, 30, 42, 789);

/** Per offset: the expected Created (the instant) and PasswordExpiration (30 days later), by hand. */
const OFFSETS: { header: string | undefined; created: string; expires: string }[] = [
  { header: undefined, created: '2023-01-15T10:30:42', expires: '2023-02-14T10:30:42' },
  { header: '0', created: '2023-01-15T10:30:42', expires: '2023-02-14T10:30:42' },
  { header: '240', created: '2023-01-15T14:30:42', expires: '2023-02-14T14:30:42' },
  { header: '-330', created: '2023-01-15T05:00:42', expires: '2023-02-14T05:00:42' },
  { header: '345', created: '2023-01-15T16:15:42', expires: '2023-02-14T16:15:42' },
  { header: '-720', created: '2023-01-14T22:30:42', expires: '2023-02-13T22:30:42' },
  { header: '840', created: '2023-01-16T00:30:42', expires: '2023-02-15T00:30:42' },
];

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp({ PASSWORD_MAX_AGE_DAYS: '30' });
  t.clock.advance(INSTANT - t.clock.now());
  // registration, login and key creation all happen at INSTANT: the clock stays put
  token = (await registerUser(t, 'dates-001', STRONG_PASSWORD, { email: 'dates@example.com', name: 'Dee Dates' })).access_token;
});
afterAll(async () => t.close());

/** Every string in a JSON value, with its path. */
function strings(value: unknown, path = '$'): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

/** Asserts every date-like string of the body is in the seed form, and answers how many there were. */
function expectSeedDates(body: unknown): number {
  const dates = strings(body).filter(([, v]) => DATE_LIKE.test(v));
  for (const [path, value] of dates) expect(value, path).toMatch(SEED_DATE_TIME);
  return dates.length;
}

describe('every seed 001 date-time is 2023-01-15T10:30:42 form', () => {
  for (const { header, created, expires } of OFFSETS) {
    const headers: Record<string, string> = header === undefined ? {} : { 'x-nugios-timezone': header };
    const label = header === undefined ? 'without X-nugios-timezone (UTC)' : `X-nugios-timezone: ${header}`;

    it(`POST /user/login ${label}: Created and PasswordExpiration`, async () => {
      const res = await t.request('POST', '/user/login', { body: { username: 'dates-001', password: STRONG_PASSWORD }, headers });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ Created: string; PasswordExpiration: string }>();
      expect(body.Created).toMatch(SEED_DATE_TIME);
      expect(body.PasswordExpiration).toMatch(SEED_DATE_TIME);
      expect(body.Created).toBe(created);
      expect(body.PasswordExpiration).toBe(expires);
      expect(expectSeedDates(body)).toBe(2);
    });

    it(`POST /authheader/add and GET /authheader/list ${label}: created`, async () => {
      const added = await t.request('POST', '/authheader/add', { token, body: { name: `key ${label}` }, headers });
      expect(added.statusCode, added.body).toBe(200);
      const key = added.json<{ created: string }>();
      expect(key.created).toMatch(SEED_DATE_TIME);
      expect(key.created).toBe(created);
      expect(expectSeedDates(key)).toBe(1);

      const list = await t.request('GET', '/authheader/list', { token, headers });
      expect(list.statusCode, list.body).toBe(200);
      const keys = list.json<{ created: string }[]>();
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k.created).toBe(created);
      expect(expectSeedDates(keys)).toBe(keys.length);
    });
  }
});
