import { configSchema } from './schema.js';

/** The configuration as a Markdown table, the body of docs/configuration.md (a test keeps them equal). */
export function configTable(): string {
  const rows = Object.entries(configSchema).map(
    ([name, spec]) => `| \`${name}\` | ${spec.default === undefined ? 'unset' : `\`${spec.default}\``} | ${spec.doc} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
