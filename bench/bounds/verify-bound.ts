/** Starts verify-server.ts as its own process tree and waits for its listening line. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { freePort, PROJECT_ROOT } from '../../test/support/server-process.js';
import { waitUntil } from '../tessera/server.js';

const SERVER = fileURLToPath(new URL('./verify-server.ts', import.meta.url));

export interface VerifyServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `sampleToken`: one of the tokens it will be asked to verify (its iss and aud are checked). */
export async function startVerifyServer(jwks: unknown, sampleToken: string, workers: number): Promise<VerifyServer> {
  const port = await freePort();
  const claims = decodeJwt(sampleToken);
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BENCH_VERIFY_WORKERS: String(workers),
      BENCH_JWKS: JSON.stringify(jwks),
      BENCH_ISSUER: claims.iss!,
      BENCH_AUDIENCE: Array.isArray(claims.aud) ? claims.aud[0]! : claims.aud!,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntil('verify bound server', () => out.includes('listening'), 30_000, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}
