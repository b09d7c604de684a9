import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's own recursive mkdir never returns for a path it
 * cannot create under /proc or /sys (a DATABASE_URL or OUTBOX_DIR mistyped there spun a core
 * forever); made level by level, such a path fails at once (ENOENT, EACCES, or EEXIST and
 * ENOTDIR where a file stands in the way), with the path in the message start-up reports.
 */
export function makeFolders(dir: string): void {
  const parent = dirname(dir);
  if (parent !== dir && !existsSync(parent)) makeFolders(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // There already (or made meanwhile by another process starting at once) is what was wanted,
    // when it is a folder.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
  }
}
