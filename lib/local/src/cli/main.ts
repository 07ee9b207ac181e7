/**
 * The `coffee-es` command: `start`, `rebuild`, `redrive` and `relay` for any app, given its
 * system module (`--system <module>`, else the `coffee-es.system` field of package.json).
 */
import { type AppModule, loadAppModule, systemModulePath, takeSystemFlag } from './appModule.ts';
import { journal, journalHelp } from './journal/journal.ts';
import { dlq, dlqHelp } from './queues/dlq.ts';
import { failures, failuresHelp } from './queues/failures.ts';
import { rebuild, rebuildHelp } from './rebuild.ts';
import { redrive, redriveHelp } from './redrive.ts';
import { relay, relayHelp } from './relay.ts';
import { start, startHelp } from './start.ts';
import { entities, entitiesHelp } from './streams/entities.ts';
import { events, eventsHelp } from './streams/events.ts';
import { snapshots, snapshotsHelp } from './streams/snapshots.ts';
import { state, stateHelp } from './streams/state.ts';

type Run = (app: AppModule, root: string, args: string[]) => Promise<number | undefined>;

const commands: Readonly<Record<string, { readonly help: string; readonly run: Run }>> = {
  start: { help: startHelp, run: (app, root) => start(app, root) },
  rebuild: { help: rebuildHelp, run: rebuild },
  redrive: { help: redriveHelp, run: redrive },
  relay: { help: relayHelp, run: relay },
  dlq: { help: dlqHelp, run: dlq },
  failures: { help: failuresHelp, run: failures },
  events: { help: eventsHelp, run: events },
  state: { help: stateHelp, run: state },
  entities: { help: entitiesHelp, run: entities },
  snapshots: { help: snapshotsHelp, run: snapshots },
  journal: { help: journalHelp, run: journal },
};

/** The `coffee-es` command's help text: its commands and how it finds the system module. */
export const usage = `Usage: coffee-es <command> [--system <module>] [arguments]

Commands:
  start      run the system locally (DynamoDB Local, SQS emulator, routes, workers)
  rebuild    rebuild read models from the journal
  redrive    move dead letters back to their queues
  relay      re-relay events from the journal to the events queue
  dlq        peek at a queue's dead letters, or redrive them
  failures   list what a stream consumer set aside, or redrive it from the journal
  events     an entity's events, upcast, with positions, times and command metadata (--follow)
  state      an entity's state now, or at a position or time (--at)
  entities   the ids of an entity type with their versions
  snapshots  backfill: fresh snapshots where the latest is missing or of an old state schema
  journal    export, import, migrate (live, with a parity report) or compare the journal

The operator commands take --json, and --region <r> --stack <name> for a deployed stack.

The system module exports \`system\` (a defineSystem declaration), and for rebuild and relay
\`projections\` and \`eventSchemas\`, for state and snapshots \`entities\`. TypeScript modules
load through tsx. Without --system, the module is the "coffee-es": { "system": "<module>" }
field of ./package.json.
\`coffee-es <command> --help\` tells more.`;

/**
 * Runs one `coffee-es` command in this process. Resolves with the exit code, or `undefined`
 * for `start`, which keeps running until a signal stops it.
 *
 * @example
 * ```ts
 * // bin: coffee-es start --system src/system.ts
 * const code = await main(process.argv.slice(2));
 * if (code !== undefined) process.exitCode = code;
 * ```
 */
export async function main(
  argv: readonly string[],
  options: { readonly root?: string } = {},
): Promise<number | undefined> {
  // --system may come before the command (`npm run cli -- <command>` puts it there) or after.
  let taken: ReturnType<typeof takeSystemFlag>;
  try {
    taken = takeSystemFlag(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const [name, ...args] = taken.rest;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command: ${name}\n\n${usage}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  const root = options.root ?? process.cwd();
  let app: AppModule;
  try {
    app = await loadAppModule(await systemModulePath(root, taken.system));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  return command.run(app, root, args);
}
