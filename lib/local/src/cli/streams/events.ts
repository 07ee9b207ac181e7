/**
 * `coffee-es events <EntityType> <id> [--from n] [--follow]`: one entity's events, upcast, with
 * their positions, times and the command metadata of their commits; with --follow, new ones as
 * they come until Ctrl-C.
 */
import { followEvents, readEvents, type StreamEvent } from '../../ops/streams.ts';
import type { AppModule } from '../appModule.ts';
import { intFlag, UsageError } from '../ops/flags.ts';
import { targetHelp } from '../ops/target.ts';
import { knownEntityType, positionals, runStreamCommand, schemasOf, stopSignal } from './common.ts';

export const eventsHelp = `Usage: coffee-es events <EntityType> <id> [--from n] [--follow] [--json]

The entity's events, oldest first, upcast to their current schemas: each with its position, the
time it was recorded, its type and data, and the command that wrote it (command, correlation and
causation ids, idempotency key, tags).
  --from n    start at position n (default 1)
  --follow    then keep printing new events as they are written, until Ctrl-C (exit 0)
  --json      JSON Lines: one event per line, nothing else on stdout
${targetHelp}`;

const spec = { from: 'value', follow: 'boolean' } as const;

export function events(app: AppModule, root: string, argv: string[]): Promise<number> {
  return runStreamCommand('events', eventsHelp, app, root, argv, spec, async (c) => {
    const [type, id] = positionals(c.args, ['EntityType', 'id']);
    const entityType = knownEntityType(app, type);
    if (id === undefined) throw new UsageError(`Which ${entityType}? Give its id.`);
    const from = intFlag(c.args, 'from', 1) ?? 1;
    const schemas = schemasOf(app);
    const { journal, close } = await c.connect();
    const print = (e: StreamEvent) => c.out.record(e, () => describe(e));
    try {
      if (c.args.flags.follow) {
        const stop = stopSignal();
        c.out.note(`Following ${entityType} ${id} from position ${from}; Ctrl-C stops`);
        try {
          for await (const e of followEvents(journal, schemas, entityType, id, {
            from,
            signal: stop.signal,
          }))
            print(e);
        } finally {
          stop.release();
        }
        return 0;
      }
      let printed = 0;
      for await (const e of readEvents(journal, schemas, entityType, id, { from })) {
        print(e);
        printed++;
      }
      if (printed > 0) return 0;
      c.out.note(`No events of ${entityType} ${id}${from > 1 ? ` from position ${from}` : ''}`);
      return 1;
    } finally {
      close();
    }
  });
}

function describe(e: StreamEvent): string {
  const version =
    e.storedSchemaVersion === e.schemaVersion
      ? `v${e.schemaVersion}`
      : `v${e.schemaVersion}, stored v${e.storedSchemaVersion}`;
  const m = e.commit;
  const command = [
    `command ${m.commandId}`,
    ...(m.correlationId ? [`correlation ${m.correlationId}`] : []),
    ...(m.causationId ? [`causation ${m.causationId}`] : []),
    ...(m.idempotencyKey ? [`key ${m.idempotencyKey}`] : []),
    ...(m.tags && m.tags.length > 0 ? [`tags ${m.tags.join(',')}`] : []),
  ].join('  ');
  return `#${e.position}  ${e.recordedAt}  ${e.type} (${version})  ${command}\n    ${JSON.stringify(e.data)}`;
}
