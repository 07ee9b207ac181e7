/** `coffee-es entities <EntityType>`: the ids of an entity type, each with its version. */
import { estimatedStreams, listEntities } from '../../ops/entities.ts';
import type { AppModule } from '../appModule.ts';
import { targetHelp } from '../ops/target.ts';
import { knownEntityType, positionals, runStreamCommand, stopSignal } from './common.ts';

export const entitiesHelp = `Usage: coffee-es entities <EntityType> [--json]

Every entity of the type, with its version (the position of its last event), a page of the
journal's index of streams at a time (constant memory), with a progress bar on a terminal.
Ctrl-C stops it (exit 1).
  --json   JSON Lines: { "id", "version" } per entity, nothing else on stdout
${targetHelp}`;

export function entities(app: AppModule, root: string, argv: string[]): Promise<number> {
  return runStreamCommand('entities', entitiesHelp, app, root, argv, {}, async (c) => {
    const [type] = positionals(c.args, ['EntityType']);
    const entityType = knownEntityType(app, type);
    const { table, close } = await c.connect();
    const stop = stopSignal();
    try {
      // All types' streams: the bar stops short of 100% unless this is the only type.
      const total = c.out.json ? undefined : await estimatedStreams(table).catch(() => undefined);
      const bar = c.out.progress(`${entityType} entities`);
      let count = 0;
      for await (const e of listEntities(table, entityType, { signal: stop.signal })) {
        c.out.record({ id: e.id, version: e.version }, () => `${e.id}\t${e.version}`);
        bar.update(++count, total);
      }
      bar.end();
      if (stop.signal.aborted) {
        c.out.note(`Stopped after ${count} ${entityType} entities`);
        return 1;
      }
      c.out.note(`${count} ${entityType} entities`);
      return 0;
    } finally {
      stop.release();
      close();
    }
  });
}
