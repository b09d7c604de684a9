/**
 * Tessera's own marks for the Swagger UI pages (/docs): a mosaic of four tiles, the wordmark
 * beside it. Plain SVG text, served by this server (the logo as a data: URL inside the
 * initializer script, the favicon as a file), so the page loads nothing from another host.
 */
const TILES = `
  <rect x="2" y="2" width="16" height="16" rx="3" fill="#3fb6a8"/>
  <rect x="22" y="2" width="16" height="16" rx="3" fill="#f2c14e"/>
  <rect x="2" y="22" width="16" height="16" rx="3" fill="#e76f51"/>
  <rect x="22" y="22" width="16" height="16" rx="3" fill="#7a8cf0"/>`;

export const DOCS_TITLE = 'Tessera API';

/** The top bar's logo (the bar is dark, so the wordmark is light). */
export const DOCS_LOGO = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="190" height="40" viewBox="0 0 190 40" role="img" aria-label="Tessera">
  <title>Tessera</title>${TILES}
  <text x="50" y="29" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="26" font-weight="600" fill="#ffffff">Tessera</text>
</svg>
`,
);

export const DOCS_FAVICON = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40"><title>Tessera</title>${TILES}
</svg>
`,
);
