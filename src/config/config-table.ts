import { configSchema, type DerivedDefault } from './schema.js';

/** The configuration as a Markdown table, the body of docs/configuration.md (a test keeps them equal). */
export function configTable(): string {
  const rows = Object.entries(configSchema).map(([name, spec]) => {
    const value: string | DerivedDefault | undefined = spec.default;
    const shown = value === undefined ? 'unset' : `\`${typeof value === 'object' ? value.shown : value}\``;
    return `| \`${name}\` | ${shown} | ${spec.doc} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
