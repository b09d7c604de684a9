/**
 * Another web site for CSRF tests: a plain HTTP server on `localhost` (the Tessera under test is
 * on 127.0.0.1, so for the browser the two are different sites) whose one page posts a form to
 * a Tessera URL by itself, as an attacker's page would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForeignSite {
  /** `http://localhost:<port>/?target=...` page that auto-submits `fields` to `target`. */
  attackUrl(target: string, fields: Record<string, string>): string;
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startForeignSite(): Promise<ForeignSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const target = url.searchParams.get('target') ?? '';
    const fields = [...url.searchParams].filter(([name]) => name !== 'target');
    const inputs = fields.map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Win a prize</title><form id="f" method="post" action="${escape(target)}">${inputs}</form><script>document.getElementById('f').submit()</script></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    attackUrl(target, fields) {
      const query = new URLSearchParams({ target, ...fields });
      return `http://localhost:${port}/?${query.toString()}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
