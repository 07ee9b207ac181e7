/**
 * Benchmark of one hot entity under many writers against DynamoDB Local: throughput relative to a
 * single writer, conflicts, retries and lost updates (there must be none).
 */
import { EntityStore, type EntityStoreOptions } from '@coffee-es/core';
import { counterEntity } from '../test/support/counterEntity.ts';
import { fixture, increment, type MakeClient } from './core.ts';
import { round, timed } from './stats.ts';

/**
 * One hot entity, many writers (separate stores, as separate containers would be). Each store
 * is warmed with one command first, as a warm container is, and each run is long enough
 * (`commandsPerRun`) to measure the steady state rather than the start-up burst; one writer and
 * 32 writers alternate `rounds` times and the median ratio is reported. The burst of 32 cold
 * stores starting at once is measured apart (`cold burst`).
 */
export async function contention(makeClient: MakeClient, commandsPerRun = 2000, rounds = 5) {
  const f = await fixture(makeClient, 'contention');
  const entity = counterEntity();
  let run = 0;
  const measure = async (writers: number, warm: boolean, commands: number) => {
    let conflicts = 0;
    const options: EntityStoreOptions = {
      journal: f.journal,
      observe: (signal) => {
        if (signal.kind === 'conflict') conflicts++;
      },
    };
    const stores = Array.from({ length: writers }, () => new EntityStore(entity, options));
    const id = `hot-${writers}-${run++}`;
    if (warm) for (const store of stores) await store.execute(id, increment);
    const before = warm ? writers : 0;
    conflicts = 0;
    let acknowledged = 0;
    let failed = 0;
    let slowestMs = 0;
    const ms = await timed(() =>
      Promise.all(
        stores.map(async (store, w) => {
          for (let i = w; i < commands; i += writers) {
            const started = performance.now();
            try {
              await store.execute(id, increment);
              acknowledged++;
            } catch {
              failed++;
            }
            slowestMs = Math.max(slowestMs, performance.now() - started);
          }
        }),
      ),
    );
    const final = await new EntityStore(entity, { journal: f.journal }).get(id, {
      consistent: true,
    });
    return {
      writers,
      start: warm ? 'warm' : 'cold burst',
      commands,
      acknowledged,
      failed,
      commandsPerSecond: round(acknowledged / (ms / 1000), 1),
      conflicts,
      retriesPerCommand: round(conflicts / Math.max(1, acknowledged)),
      slowestCommandMs: round(slowestMs),
      lostUpdates: before + acknowledged - (final?.state.count ?? 0),
    };
  };
  await measure(32, true, 400); // warms the JIT and DynamoDB Local; not reported
  type Row = Awaited<ReturnType<typeof measure>>;
  const pairs: { one: Row; many: Row; ratio: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const one = await measure(1, true, commandsPerRun);
    const many = await measure(32, true, commandsPerRun);
    pairs.push({ one, many, ratio: many.commandsPerSecond / one.commandsPerSecond });
  }
  pairs.sort((a, b) => a.ratio - b.ratio);
  const middle = pairs[Math.floor(pairs.length / 2)];
  if (!middle) throw new Error('no contention rounds');
  const burst = await measure(32, false, 400);
  const base = middle.one.commandsPerSecond;
  return [
    { ...middle.one, relativeToOneWriter: 1 },
    { ...middle.many, relativeToOneWriter: round(middle.ratio) },
    { ...burst, relativeToOneWriter: round(burst.commandsPerSecond / base) },
  ].map((row) => ({ ...row, ratiosOfRounds: pairs.map((p) => round(p.ratio)).join(' ') }));
}
