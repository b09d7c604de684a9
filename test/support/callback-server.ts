/**
 * The redirect URI of a test "app": an HTTP server on loopback that answers every request with a
 * small page and hands each /cb (and /bye) URL it receives to whoever waits for it. A signal, not
 * a time: `next()` resolves when the browser arrives.
 */
import { createServer, type Server } from 'node:http';

export interface CallbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The next URL the browser opens here (full, with its query). */
  next(): Promise<URL>;
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const arrived: URL[] = [];
  const waiting: Array<(url: URL) => void> = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><head><title>App</title><link rel="icon" href="data:,"></head><body><main><h1>App</h1></main></body></html>');
    if (url.pathname === '/favicon.ico') return;
    const waiter = waiting.shift();
    if (waiter) waiter(url);
    else arrived.push(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    next: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise<URL>((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
