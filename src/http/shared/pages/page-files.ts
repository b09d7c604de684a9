import { fileURLToPath } from 'node:url';

/**
 * Where the page templates (`views/`) and the static files (`assets/`) live: folders at the
 * project root, beside `src/` and `dist/`. This file sits four folders deep both as
 * `src/http/shared/pages/page-files.ts` (tsx) and as `dist/http/shared/pages/page-files.js`
 * (after `npm run build`), so one relative URL finds them in both cases and the build copies
 * nothing (tsc would not copy .eta files).
 */
export const VIEWS_DIR = fileURLToPath(new URL('../../../../views/', import.meta.url));
export const ASSETS_DIR = fileURLToPath(new URL('../../../../assets/', import.meta.url));
