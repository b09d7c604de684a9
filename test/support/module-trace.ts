/**
 * Preloaded with `--import` into a server process, and so (through execArgv) into every process it
 * forks: records the URL of every module the process loads and writes the list on exit to
 * `$TESSERA_TEST_MODULE_TRACE_DIR/<pid>.json`. What a process has loaded, not what it weighs: a
 * test can say "the cluster primary never loaded the app" without measuring memory.
 */
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

/** Runs on the loader thread: every load passes through here first, then on to tsx and Node. */
const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, nextLoad) { port.postMessage(url); return nextLoad(url, context); }
`;

const dir = process.env.TESSERA_TEST_MODULE_TRACE_DIR;
if (dir !== undefined) {
  const loaded = new Set<string>();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url: string) => loaded.add(url));
  port1.unref();
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
  process.on('exit', () => writeFileSync(`${dir}/${process.pid}.json`, JSON.stringify([...loaded])));
}
