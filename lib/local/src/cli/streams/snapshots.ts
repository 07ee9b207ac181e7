/**
 * `coffee-es snapshots backfill <EntityType>`: fresh snapshots for the streams whose latest
 * snapshot is missing or of an old state schema, while commands go on.
 */
import { estimatedStreams } from '../../ops/entities.ts';
import { backfillSnapshots } from '../../ops/snapshots.ts';
import type { AppModule } from '../appModule.ts';
import { UsageError } from '../ops/flags.ts';
import { targetHelp } from '../ops/target.ts';
import { knownEntity, positionals, runStreamCommand, stopSignal } from './common.ts';

export const snapshotsHelp = `Usage: coffee-es snapshots backfill <EntityType> [--json]

For every entity of the type whose latest snapshot is missing or of an old state schema (the
entity's snapshot schemaVersion), replays all its events and writes the state onto its latest
commit as a snapshot, so that loads stop there. Live commands are never blocked: the snapshot
goes onto an existing commit, never the position an append takes, and only where no snapshot of
the same or a newer schema is (an older one never replaces a newer one). The stream consumers
skip these updates. Ctrl-C stops after the entities under way (exit 1).
  --json   one JSON document: { entityType, streams, written, current, newerKept, tooLarge, seconds }
${targetHelp}`;

export function snapshots(app: AppModule, root: string, argv: string[]): Promise<number> {
  return runStreamCommand('snapshots', snapshotsHelp, app, root, argv, {}, async (c) => {
    const [sub, type] = positionals(c.args, ['backfill', 'EntityType']);
    if (sub !== 'backfill')
      throw new UsageError(
        sub ? `Unknown snapshots command: ${sub}` : 'No snapshots command given',
      );
    const entity = knownEntity(app, type);
    const { table, close } = await c.connect();
    const stop = stopSignal();
    const started = Date.now();
    try {
      // All types' streams: the bar stops short of 100% unless this is the only type.
      const total = c.out.json ? undefined : await estimatedStreams(table).catch(() => undefined);
      const bar = c.out.progress(`${entity.type} snapshots`);
      const done = await backfillSnapshots(table, entity, {
        signal: stop.signal,
        onProgress: (p) => bar.update(p.streams, total),
      });
      bar.end();
      const seconds = (Date.now() - started) / 1000;
      c.out.result({ entityType: entity.type, ...done, seconds }, () =>
        [
          `${entity.type}: ${done.streams} entities looked at in ${seconds.toFixed(1)} s; ${done.written} snapshots written, ${done.current} already current, ${done.newerKept} written meanwhile by another`,
          ...done.tooLarge.map((s) => `  too large with a snapshot, left without: ${s}`),
          ...(stop.signal.aborted ? ['Stopped before the end'] : []),
        ].join('\n'),
      );
      return stop.signal.aborted || done.tooLarge.length > 0 ? 1 : 0;
    } finally {
      stop.release();
      close();
    }
  });
}
