/** Regenerates docs/configuration.md from src/config/schema.ts: `npm run docs:config`. */
import { writeFileSync } from 'node:fs';
import { configTable } from '../src/config/config-table.js';

const intro = `# Configuration

Environment variables, read once at start, validated and frozen. An empty variable counts as unset.
A value that does not parse stops start-up with one line naming the variable and what it accepts
(exit code 1). This table is generated from \`src/config/schema.ts\` (\`npm run docs:config\`);
\`test/core/config.test.ts\` fails when they differ.
`;

const outro = `
Unsafe choices are logged as warnings at start: argon2 parameters below the OWASP minimum, a
plain-http \`PUBLIC_URL\` on a non-local host, \`REDIS_URL\` set while nothing uses it yet.
`;

writeFileSync(new URL('../docs/configuration.md', import.meta.url), `${intro}\n${configTable()}\n${outro}`);
