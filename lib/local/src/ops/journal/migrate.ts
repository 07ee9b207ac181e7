/**
 * `journal migrate`: the live journal copied into a new table while commands keep arriving. The
 * stream is marked first; a full pass copies every item (batch puts, constant memory); catch-up
 * passes then apply, in stream order, every change made since the mark, until a pass finds
 * nothing new (the copy is level); the parity report follows, catching up again before it reads
 * a stream that differs a second time.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import { isImportMarker, type RawItem } from './format.ts';
import { TargetNotEmptyError } from './importJournal.ts';
import { BatchPutter, tablePages } from './items.ts';
import { type CompareOptions, compareJournals, type ParityReport } from './parity.ts';
import { StreamTail } from './streamTail.ts';

/** How far a migration is: its phase, and the items or records done in it. */
export interface MigrateProgress {
  readonly phase: 'full pass' | 'catch-up' | 'compare';
  readonly done: number;
}

/** A finished migration: what it copied and caught up, in how many passes, and its parity report. */
export interface MigrateResult {
  /** Items the full pass copied. */
  readonly copied: number;
  /** Stream records the catch-up passes applied (including those during the report). */
  readonly caughtUp: number;
  readonly passes: number;
  readonly report: ParityReport;
}

/**
 * When writes never pause, a pass never comes back empty: the catch-up stops after this many
 * passes or this long, and the report's rechecks catch up with what arrives while it reads.
 */
const maxPasses = 50;
const maxCatchUpMs = 30_000;

/**
 * Copies the journal `source` into `target` (created with the journal's shape; refused when it
 * holds anything, unless `force`), live, then compares them.
 *
 * @example
 * ```ts
 * const { report } = await migrateJournal({ client, streams, source: 'journal', target: 'journal-v2' });
 * process.exitCode = report.clean ? 0 : 1;
 * ```
 */
export async function migrateJournal(
  options: Omit<CompareOptions, 'recheck' | 'onProgress'> & {
    readonly streams: DynamoDBStreamsClient;
    readonly force?: boolean;
    /**
     * Called once the copy is level, before the report; the copy then catches up once more. A
     * cut-over stops the old path's writers here, so that the report covers every write.
     */
    readonly beforeReport?: () => Promise<void>;
    readonly onProgress?: (progress: MigrateProgress) => void;
  },
): Promise<MigrateResult> {
  const { client, source, target } = options;
  const streamArn = (await client.send(new DescribeTableCommand({ TableName: source }))).Table
    ?.LatestStreamArn;
  if (!streamArn) throw new Error(`${source} has no stream: a live copy needs one`);
  await ensureTables(client, { [target]: journalTable });
  if (!options.force) await refuseNonEmpty(client, target);

  const tail = await StreamTail.mark(options.streams, streamArn, { client, table: target });
  const copied = await fullPass(client, source, target, tail, options.onProgress);
  let passes = 0;
  const catchUpStarted = Date.now();
  const more = () => passes < maxPasses && Date.now() - catchUpStarted < maxCatchUpMs;
  for (let applied = -1; applied !== 0 && more(); passes++) {
    applied = await tail.catchUp();
    options.onProgress?.({ phase: 'catch-up', done: tail.applied });
  }
  if (options.beforeReport) {
    await options.beforeReport();
    await tail.catchUp();
  }
  const report = await compareJournals({
    ...options,
    recheck: async () => {
      await tail.catchUp();
    },
    onProgress: (p) => options.onProgress?.({ phase: 'compare', done: p.streams }),
  });
  return { copied, caughtUp: tail.applied, passes, report };
}

async function refuseNonEmpty(client: DynamoDBClient, table: string): Promise<void> {
  const first = await tablePages(client, table, { limit: 2 }).next();
  const page: readonly RawItem[] = first.value ?? [];
  const found = page.filter((item) => !isImportMarker(item));
  if (found.length > 0) throw new TargetNotEmptyError(table, `it holds ${found[0]?.pk?.S}`);
}

async function fullPass(
  client: DynamoDBClient,
  source: string,
  target: string,
  tail: StreamTail,
  onProgress: ((progress: MigrateProgress) => void) | undefined,
): Promise<number> {
  const putter = new BatchPutter(client, target);
  let copied = 0;
  let keptAlive = Date.now();
  for await (const page of tablePages(client, source)) {
    for (const item of page) {
      if (isImportMarker(item)) continue;
      await putter.put(item);
      copied++;
    }
    onProgress?.({ phase: 'full pass', done: copied });
    // Well within the 15 minutes an iterator lives.
    if (Date.now() - keptAlive > 10_000) {
      await tail.keepAlive();
      keptAlive = Date.now();
    }
  }
  await putter.flush();
  return copied;
}
