/** Regenerates docs/configuration.md from src/config/schema.ts: `npm run docs:config`. */
import { writeFileSync } from 'node:fs';
import { configTable } from '../src/config/config-table.js';

const intro = `# Configuration

Environment variables, read once at start, validated and frozen. A value that does not parse stops
start-up with one line naming the variable and what it accepts (exit code 1). This table is
generated from \`src/config/schema.ts\` (\`npm run docs:config\`); \`test/core/config.test.ts\`
fails when they differ.

**Empty means unset.** For every variable, an empty value (\`PUBLIC_URL=\`) or one of only
whitespace counts as unset: the default applies, as if the variable were not in the environment.
No variable has a meaningful blank value, and a blank line in an env file or a \`VAR=\` left in a
compose file should not change behaviour. One rule in \`src/config/load-config.ts\` (\`rawValue\`)
applies it to every variable. Other values are passed to their parser as given (most parsers
trim surrounding whitespace).

**\`PUBLIC_URL\` follows the listen address.** It is the token issuer (\`iss\`), the base of the
discovery document, the JWKS URL, the OpenAPI \`servers\` entry and links in emails. Unset, it is
\`http://localhost:<PORT>\` (so \`PORT=18080 npm start\` issues tokens for
\`http://localhost:18080\`), or \`http://<HOST>:<PORT>\` when \`HOST\` names one address rather than
every interface (\`0.0.0.0\`, \`::\`): \`HOST=127.0.0.1 PORT=9000\` gives \`http://127.0.0.1:9000\`.
With \`PORT=0\` (a port chosen when the server listens) \`PUBLIC_URL\` must be set. Behind a proxy, on
another machine, or anywhere tokens must survive a change of port, set it to the URL clients use:
tokens name their issuer, so a server that moves to another port without \`PUBLIC_URL\` no longer
accepts the tokens it issued before. The start-up line \`Tessera listening on ...\`
names the issuer and the token audience (\`TOKEN_AUDIENCE\`) a resource server checks.
`;

const outro = `
Unsafe choices are logged as warnings at start: argon2 parameters below the OWASP minimum, a
plain-http \`PUBLIC_URL\` on a non-local host.
`;

writeFileSync(new URL('../docs/configuration.md', import.meta.url), `${intro}\n${configTable()}\n${outro}`);
