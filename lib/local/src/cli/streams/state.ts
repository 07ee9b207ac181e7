/**
 * `coffee-es state <EntityType> <id> [--at <position|ISO time>]`: the entity's state now, or as
 * it was at a position or a time, folded from its events.
 */
import { currentState, type HistoryPoint, stateAt } from '../../ops/streams.ts';
import type { AppModule } from '../appModule.ts';
import { type ParsedArgs, UsageError } from '../ops/flags.ts';
import { targetHelp } from '../ops/target.ts';
import { knownEntity, positionals, runStreamCommand } from './common.ts';

export const stateHelp = `Usage: coffee-es state <EntityType> <id> [--at <position|ISO time>] [--json]

The entity's state. Now (as the entity store loads it, from its latest snapshot), or with --at
as it was then: its entity's evolve folded over its events (upcast) from the start up to that
position, or over those recorded at or before that time (e.g. 2026-12-01T09:30:00Z).
  --json   one JSON document: { entityType, id, version, latest, recordedAt, state }
${targetHelp}`;

/** `--at`: a position (≥ 1) or an ISO 8601 time. */
function historyPoint(args: ParsedArgs): HistoryPoint | undefined {
  const at = args.flags.at;
  if (at === undefined || at === true) return undefined;
  if (/^\d+$/.test(at)) {
    if (Number(at) < 1) throw new UsageError('--at: positions start at 1');
    return { position: Number(at) };
  }
  const time = Date.parse(at);
  if (!/^\d{4}-\d\d-\d\d/.test(at) || Number.isNaN(time))
    throw new UsageError(`--at: "${at}" is neither a position nor an ISO 8601 time`);
  return { time: new Date(time) };
}

export function state(app: AppModule, root: string, argv: string[]): Promise<number> {
  return runStreamCommand('state', stateHelp, app, root, argv, { at: 'value' }, async (c) => {
    const [type, id] = positionals(c.args, ['EntityType', 'id']);
    const entity = knownEntity(app, type);
    if (id === undefined) throw new UsageError(`Which ${entity.type}? Give its id.`);
    const at = historyPoint(c.args);
    const { journal, close } = await c.connect();
    try {
      if (at === undefined) {
        const now = await currentState(journal, entity, id);
        if (!now) return notFound(c.out.note, `No ${entity.type} ${id}: it has no events`);
        const result = { entityType: entity.type, id, version: now.version, state: now.state };
        c.out.result(
          result,
          () => `${entity.type} ${id} at version ${now.version}:\n${pretty(now.state)}`,
        );
        return 0;
      }
      const then = await stateAt(journal, entity, id, at);
      if (then.latest === 0)
        return notFound(c.out.note, `No ${entity.type} ${id}: it has no events`);
      if ('position' in at && at.position > then.latest)
        return notFound(
          c.out.note,
          `${entity.type} ${id} has ${then.latest} events: no position ${at.position}`,
        );
      if (then.version === 0)
        return notFound(
          c.out.note,
          `${entity.type} ${id} had no events yet at ${'time' in at ? at.time.toISOString() : at.position}`,
        );
      const result = {
        entityType: entity.type,
        id,
        version: then.version,
        latest: then.latest,
        recordedAt: then.recordedAt,
        state: then.state,
      };
      c.out.result(
        result,
        () =>
          `${entity.type} ${id} at position ${then.version} of ${then.latest} (recorded ${then.recordedAt}):\n${pretty(then.state)}`,
      );
      return 0;
    } finally {
      close();
    }
  });
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function notFound(note: (text: string) => void, message: string): number {
  note(message);
  return 1;
}
