import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ASSETS_DIR } from './page-files.js';
import type { PageKit } from './page-kit.js';

/**
 * The pages' static files under /assets/ (one stylesheet, one small script: `assets/`), and
 * /assets/theme.css, which carries the configured accent colour as a CSS variable: styles come
 * from files only (the CSP forbids inline ones), so the branding is a stylesheet too. Registered
 * once at the root, for every surface that serves pages.
 */
export async function registerPageAssets(app: FastifyInstance, kit: PageKit): Promise<void> {
  const theme = `:root { --accent: ${kit.options.accentColor}; }\n`;
  app.get('/assets/theme.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(theme),
  );
  await app.register(fastifyStatic, {
    root: ASSETS_DIR,
    prefix: '/assets/',
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: true,
    maxAge: 300_000,
    schemaHide: true,
  });
}
