/**
 * A TypeScript client generated from GET /openapi.json type-checks and works: openapi-typescript
 * turns the served document into `paths` types, a small openapi-fetch client types a native login
 * and a profile read with them, `tsc --noEmit` (the project's TypeScript) checks it, and the same
 * client then logs in and reads the profile against the running server.
 *
 * The check has teeth: the same client, against types generated from the document without the
 * login's request body, must fail to type-check (the login body's type no longer exists).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** What a user of the generated types writes; `TYPES` is the module the types come from. */
const client = (types: string) => `import createClient from 'openapi-fetch';
import type { paths } from './${types}.js';

type LoginBody = paths['/v1/auth/login']['post']['requestBody']['content']['application/json'];

export async function loginAndProfile(baseUrl: string, username: string, password: string) {
  const api = createClient<paths>({ baseUrl });
  const body: LoginBody = { username, password };
  const login = await api.POST('/v1/auth/login', { body });
  if (!login.data) throw new Error(\`login: \${login.response.status} \${login.error?.detail ?? ''}\`);
  const token: string = login.data.access_token;
  const tokenType: 'Bearer' = login.data.token_type;
  const profile = await api.GET('/v1/user/profile', { headers: { authorization: \`\${tokenType} \${token}\` } });
  if (!profile.data) throw new Error(\`profile: \${profile.response.status}\`);
  const { id, name, roles }: { id: string; name: string; roles: string[] } = profile.data;
  return { id, name, roles };
}

export function wrongCalls(api: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error the login body needs a password
  const noPassword: LoginBody = { username: 'nobody' };
  void api.POST('/v1/auth/login', { body: noPassword });
  // @ts-expect-error there is no such path
  void api.GET('/v1/no/such/path');
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['es2022', 'dom'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ['*.ts'],
};

let t: TestApp;
let doc: OpenAPI3;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.request('GET', '/openapi.json')).json<OpenAPI3>();
  dir = mkdtempSync(join(tmpdir(), 'tessera-client-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `tsc --noEmit` over the temp project: its diagnostics, one line each, by file. */
async function typeCheck(): Promise<string[]> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir });
    return [];
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    if (!stdout) throw error;
    return stdout.split('\n').filter((line) => line.includes('error TS'));
  }
}

describe('a client generated from /openapi.json', () => {
  it('type-checks a login and a profile read, and refuses what the document forbids', async () => {
    const broken = structuredClone(doc);
    delete (broken.paths!['/v1/auth/login'] as { post: { requestBody?: unknown } }).post.requestBody;
    writeFileSync(join(dir, 'tessera.d.ts'), astToString(await openapiTS(doc)));
    writeFileSync(join(dir, 'broken.d.ts'), astToString(await openapiTS(broken)));
    writeFileSync(join(dir, 'client.ts'), client('tessera'));
    writeFileSync(join(dir, 'broken-client.ts'), client('broken'));

    const errors = await typeCheck();
    expect(errors.filter((line) => line.startsWith('client.ts')), 'the client against the real document').toEqual([]);
    // without the login body in the document, the same client no longer type-checks
    expect(errors.filter((line) => line.startsWith('broken-client.ts')).length).toBeGreaterThan(0);
    expect(errors.every((line) => line.startsWith('broken-client.ts')), errors.join('\n')).toBe(true);
  });

  it('logs in and reads the profile against the running server', async () => {
    await registerUser(t, 'generated-client', STRONG_PASSWORD, { name: 'Gen Client' });
    const address = await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    const { loginAndProfile } = (await import(join(dir, 'client.ts'))) as {
      loginAndProfile: (baseUrl: string, username: string, password: string) => Promise<{ id: string; name: string; roles: string[] }>;
    };
    const profile = await loginAndProfile(address, 'generated-client', STRONG_PASSWORD);
    expect(profile.name).toBe('Gen Client');
    expect(profile.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(profile.roles).toEqual([]);
  });
});
