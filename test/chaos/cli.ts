/**
 * `npm run chaos`: the full invariant-checker run. Prints its figures and every violation; exits 1
 * when anything is violated. `-- --clients 16 --commands 150 --seed 42 --no-faults --stops
 * SIGINT-group,SIGTERM-group,SIGKILL-group --fault-scale 3` adjust it.
 */
import { parseArgs } from 'node:util';
import { runChaos, type Stop } from './run.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    commands: { type: 'string', default: '150' },
    seed: { type: 'string' },
    stops: { type: 'string', default: 'SIGINT-group,SIGTERM-group,SIGKILL-group' },
    'no-faults': { type: 'boolean', default: false },
    'fault-scale': { type: 'string', default: '1' },
    'settle-seconds': { type: 'string', default: '60' },
  },
});

const report = await runChaos({
  clients: Number(values.clients),
  commandsPerClient: Number(values.commands),
  stops: (values.stops ?? '').split(',').filter(Boolean) as Stop[],
  faults: !values['no-faults'],
  faultScale: Number(values['fault-scale']),
  settleTimeoutMs: Number(values['settle-seconds']) * 1000,
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
  log: (line) => console.log(`  ${line}`),
});
const { violations, ...figures } = report;
console.log(JSON.stringify(figures, null, 2));
for (const v of violations.slice(0, 50)) console.log(`VIOLATION ${v.invariant}: ${v.detail}`);
console.log(`${violations.length} violation(s)`);
process.exit(violations.length === 0 ? 0 : 1);
