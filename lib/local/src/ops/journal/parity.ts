/**
 * The parity report of a journal and its copy: per entity type, streams, events and the sums of
 * the fields the app names, from each table on its own; every stream compared position by
 * position (payloads item by item, for all streams or a stable sample); the items outside the
 * streams compared both ways. A stream that differs is read again after `recheck` (a live copy
 * catches up first), up to three times, so that only what stays different is reported.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RawItem } from './format.ts';
import {
  addStream,
  type Difference,
  emptyFigures,
  figuresDiffer,
  type ParityFields,
  sampled,
  type TypeFigures,
} from './parityFigures.ts';
import { compareOtherItems } from './parityItems.ts';
import {
  entityTypesOf,
  streamDifferences,
  streamItems,
  unionOfStreamIds,
} from './parityStreams.ts';

/** What `compareJournals` found. `clean` when nothing differs. */
export interface ParityReport {
  readonly source: string;
  readonly target: string;
  readonly comparedAt: string;
  readonly clean: boolean;
  /** Per entity type, each table's own figures. */
  readonly types: Readonly<
    Record<string, { readonly source: TypeFigures; readonly target: TypeFigures }>
  >;
  /** Items outside the streams, per label (`state Branch`, `claim`). */
  readonly otherItems: Readonly<
    Record<string, { readonly source: number; readonly target: number }>
  >;
  readonly payloads: { readonly sample: number; readonly streamsCompared: number };
  /** The first 1,000 differences, streams in id order; `differenceCount` counts them all. */
  readonly differences: readonly Difference[];
  readonly differenceCount: number;
}

/** Two journal tables to compare (`compareJournals`), the fields to sum, and how much to sample. */
export interface CompareOptions {
  readonly client: DynamoDBClient;
  readonly source: string;
  readonly target: string;
  readonly parity?: ParityFields;
  /** The share of streams whose payloads are compared item by item (default 1: all). */
  readonly sample?: number;
  /** Called before a difference is read again; a migration catches up its copy there. */
  readonly recheck?: () => Promise<void>;
  /** Streams compared at once (default 8). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: { readonly streams: number }) => void;
}

const maxListed = 1_000;

/**
 * Compares a journal table and its copy.
 *
 * @example
 * ```ts
 * const report = await compareJournals({ client, source: 'journal', target: 'journal-v2', parity });
 * if (!report.clean) for (const d of report.differences) console.log(d.kind, d.where, d.detail);
 * ```
 */
export async function compareJournals(options: CompareOptions): Promise<ParityReport> {
  const { client, source, target } = options;
  const tables = [source, target] as const;
  const sample = options.sample ?? 1;
  const recheck = options.recheck ?? (() => new Promise<void>((r) => setTimeout(r, 200)));
  const types: Record<string, { source: TypeFigures; target: TypeFigures }> = {};
  const differences: Difference[] = [];
  let differenceCount = 0;
  const note = (found: readonly Difference[]) => {
    differenceCount += found.length;
    for (const d of found) if (differences.length < maxListed) differences.push(d);
  };
  let streams = 0;
  let payloadStreams = 0;

  const compareStream = async (type: string, streamId: string) => {
    const payloads = sampled(streamId, sample);
    let pair = await readPair(client, tables, streamId);
    let found = streamDifferences(pair[0], pair[1], payloads);
    for (let attempt = 0; found.length > 0 && attempt < 3; attempt++) {
      await recheck();
      pair = await readPair(client, tables, streamId);
      found = streamDifferences(pair[0], pair[1], payloads);
    }
    types[type] ??= { source: emptyFigures(), target: emptyFigures() };
    const figures = types[type];
    const fields = options.parity?.[type] ?? {};
    addStream(figures.source, pair[0].filter(isCommit), fields);
    addStream(figures.target, pair[1].filter(isCommit), fields);
    note(found);
    streams++;
    if (payloads) payloadStreams++;
    if (streams % 100 === 0) options.onProgress?.({ streams });
  };

  const typeNames = new Set([
    ...(await entityTypesOf(client, source)),
    ...(await entityTypesOf(client, target)),
  ]);
  for (const type of [...typeNames].sort()) {
    await pool(unionOfStreamIds(client, tables, type), options.concurrency ?? 8, (id) =>
      compareStream(type, id),
    );
  }
  const outside = await compareOtherItems(client, tables, recheck);
  note(outside.differences);
  for (const [type, figures] of Object.entries(types)) {
    const detail = figuresDiffer(figures.source, figures.target);
    if (detail) note([{ kind: 'figures', where: type, detail }]);
  }
  for (const [label, count] of Object.entries(outside.counts)) {
    if (count.source !== count.target)
      note([{ kind: 'figures', where: label, detail: `items ${count.source} ≠ ${count.target}` }]);
  }
  options.onProgress?.({ streams });
  return {
    source,
    target,
    comparedAt: new Date().toISOString(),
    clean: differenceCount === 0,
    types,
    otherItems: outside.counts,
    payloads: { sample, streamsCompared: payloadStreams },
    differences: differences.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0)),
    differenceCount,
  };
}

const isCommit = (item: RawItem) => item.kind?.S === 'commit';

const readPair = (client: DynamoDBClient, tables: readonly [string, string], streamId: string) =>
  Promise.all([streamItems(client, tables[0], streamId), streamItems(client, tables[1], streamId)]);

/** Runs `work` for each value, at most `size` at once, pulling values only as room frees. */
async function pool<T>(
  values: AsyncIterable<T>,
  size: number,
  work: (value: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  for await (const value of values) {
    const task: Promise<void> = work(value).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= size) await Promise.race(running);
  }
  await Promise.all(running);
}
