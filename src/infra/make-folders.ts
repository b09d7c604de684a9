import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's own recursive mkdir never returns for a path it
 * cannot create under /proc or /sys (a DATABASE_URL or OUTBOX_DIR mistyped there spun a core
 * forever); made level by level, such a path fails at once with ENOENT or EACCES, which start-up
 * reports on its one line.
 */
export function makeFolders(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeFolders(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Made meanwhile by another process (two instances starting at once) is what was wanted.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
