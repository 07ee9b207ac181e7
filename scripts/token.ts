/**
 * `npm run token -- --sub <id> --scope <scope> [--scope <scope>…] [--ttl <seconds>]`: prints a
 * JWT that `npm start` with AUTH=on accepts, signed with the key in DATA_DIR (made if missing).
 *
 *   npm run token -- --sub ana --scope coffee/customer
 *   npm run token -- --sub till-1 --scope coffee/staff --ttl 600
 */
import { parseArgs } from 'node:util';
import { loadLocalAuth } from './localAuthKey.ts';

const usage =
  'usage: npm run token -- --sub <id> --scope <scope> [--scope <scope>…] [--ttl <seconds>]';

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      sub: { type: 'string' },
      scope: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '3600' },
    },
    strict: true,
  }).values;
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n${usage}`);
  process.exit(2);
}
const ttlSeconds = Number(parsed.ttl);
// Scopes may come one per flag or space-separated in one, as in the token's `scope` claim.
const scopes = (parsed.scope ?? []).flatMap((s) => s.split(/\s+/)).filter((s) => s !== '');
if (!parsed.sub || scopes.length === 0 || !Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
  console.error(usage);
  process.exit(2);
}

const auth = await loadLocalAuth();
console.log(await auth.sign({ subject: parsed.sub, scopes, ttlSeconds }));
