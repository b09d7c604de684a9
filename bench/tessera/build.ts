/**
 * What the bench runs. By default a build of the last commit: `git archive HEAD` into a temp
 * folder (node_modules linked), compiled there with tsconfig.build.json, so the figures belong to
 * one commit even while the working tree holds someone's unfinished changes. BENCH_BUILD=worktree
 * builds the working tree in place (`npm run build`); BENCH_BUILD=none runs the existing dist/.
 * BENCH_COMMIT picks another commit than HEAD (e.g. when HEAD does not build).
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../test/support/server-process.js';

export interface Build {
  /** The folder `node dist/main.js` runs in. */
  root: string;
  /** `abc1234 subject` of what was built, or `working tree`. */
  describe: string;
  remove(): void;
}

function git(args: string[]): string {
  return spawnSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout.trim();
}

export function build(): Build {
  const mode = process.env.BENCH_BUILD ?? 'head';
  const commit = process.env.BENCH_COMMIT ?? 'HEAD';
  const head = git(['log', '-1', '--format=%h %cI %s', commit]);
  if (head === '') throw new Error(`BENCH_COMMIT ${commit}: no such commit`);
  if (mode !== 'head') {
    if (mode === 'worktree') {
      const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
      if (result.status !== 0) throw new Error('npm run build failed');
    }
    const dirty = git(['status', '--porcelain', '--', 'src']) !== '';
    return { root: PROJECT_ROOT, describe: `working tree on ${head}${dirty ? ' (with uncommitted changes in src/)' : ''}`, remove: () => undefined };
  }
  const root = mkdtempSync(join(tmpdir(), 'tessera-bench-build-'));
  try {
    execSync(`git archive --format=tar ${JSON.stringify(commit)} | tar -x -C ${JSON.stringify(root)}`, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`the build of ${head} failed`);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { root, describe: `commit ${head}`, remove: () => rmSync(root, { recursive: true, force: true }) };
}
