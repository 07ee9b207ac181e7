/**
 * `journal import`: an export (format.ts) into a journal table, in constant memory, resumable.
 * While it runs, the target holds a marker naming the export and how many of its items are
 * written; a re-run of the same export after a crash continues from there (puts of the same
 * items are idempotent, so resuming a little early changes nothing), and the marker goes once
 * the trailer is reached. A target holding anything else is refused unless forced.
 */
import type { Readable } from 'node:stream';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import {
  importMarkerKey,
  importMarkerKind,
  isImportMarker,
  JournalFormatError,
  parseBody,
  parseHeader,
  type RawItem,
} from './format.ts';
import { BatchPutter, tablePages } from './items.ts';
import { readLines } from './lines.ts';
import { withThrottleRetry } from './throttling.ts';

/** The target table holds items an import did not put there (and no `force`). */
export class TargetNotEmptyError extends Error {
  constructor(table: string, reason: string) {
    super(`${table} is not empty (${reason}); pass --force to write over it`);
    this.name = 'TargetNotEmptyError';
  }
}

/** The export ended before its trailer: the file was cut short. The target keeps its marker. */
export class TruncatedExportError extends Error {
  constructor(items: number) {
    super(
      `the export ends after ${items} items without its trailer: it was cut short; the items read are written and the import can be run again with a whole file`,
    );
    this.name = 'TruncatedExportError';
  }
}

/** What an import wrote: the export's id, its item count, and how many a resumed run skipped. */
export interface ImportResult {
  readonly exportId: string;
  readonly items: number;
  /** Items skipped because an earlier run of this import had written them. */
  readonly resumedAfter: number;
}

const markerKey = { pk: { S: importMarkerKey }, sk: { N: '0' } };
/** How often the marker records progress by default: every this many items. */
const defaultCheckpointEvery = 2_000;

/**
 * Imports an export into `table` (created with the journal's shape when missing).
 *
 * @example
 * ```ts
 * const result = await importJournal({
 *   client, table: 'coffee-journal-copy', input: createReadStream('journal.jsonl'),
 * });
 * ```
 */
export async function importJournal(options: {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly input: Readable;
  readonly force?: boolean;
  readonly concurrency?: number;
  /** Record progress in the marker every this many items (2,000). */
  readonly checkpointEvery?: number;
  readonly onProgress?: (progress: { readonly items: number }) => void;
}): Promise<ImportResult> {
  const { client, table } = options;
  const checkpointEvery = options.checkpointEvery ?? defaultCheckpointEvery;
  const lines = readLines(options.input);
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value);
  await ensureTables(client, { [table]: journalTable });
  const resumedAfter = await claimTarget(client, table, header.exportId, options.force ?? false);
  const saveMarker = (done: number) =>
    withThrottleRetry(() =>
      client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            ...markerKey,
            kind: { S: importMarkerKind },
            exportId: { S: header.exportId },
            done: { N: String(done) },
            at: { S: new Date().toISOString() },
          },
        }),
      ),
    );
  await saveMarker(resumedAfter);
  let saved = resumedAfter;
  let saving = Promise.resolve();
  const putter = new BatchPutter(client, table, {
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    onWritten: (written) => {
      const done = resumedAfter + written;
      if (done - saved < checkpointEvery) return;
      saved = done;
      // One marker write at a time, in order, so that the marker never goes backwards.
      saving = saving.then(() => saveMarker(done).then(() => undefined));
      return saving;
    },
  });
  let items = 0;
  let line = 1;
  let ended = false;
  for await (const text of lines) {
    line++;
    if (ended) throw new JournalFormatError(line, 'a line after the trailer');
    const body = parseBody(text, line);
    if ('trailer' in body) {
      if (body.trailer.items !== items)
        throw new JournalFormatError(
          line,
          `the trailer counts ${body.trailer.items} items, the file holds ${items}`,
        );
      ended = true;
      continue;
    }
    items++;
    if (items <= resumedAfter) continue;
    await putter.put(body.item);
    if (items % 1_000 === 0) options.onProgress?.({ items });
  }
  await putter.flush();
  await saving;
  if (!ended) throw new TruncatedExportError(items);
  await withThrottleRetry(() =>
    client.send(new DeleteItemCommand({ TableName: table, Key: markerKey })),
  );
  options.onProgress?.({ items });
  return { exportId: header.exportId, items, resumedAfter: Math.min(resumedAfter, items) };
}

/**
 * Whether the import may write into `table`, and from which item on: 0 into an empty table,
 * the marker's count when it is this export's, anything with `force` (from the start).
 */
async function claimTarget(
  client: DynamoDBClient,
  table: string,
  exportId: string,
  force: boolean,
): Promise<number> {
  const marker = (
    await withThrottleRetry(() =>
      client.send(new GetItemCommand({ TableName: table, Key: markerKey, ConsistentRead: true })),
    )
  ).Item;
  if (marker && marker.exportId?.S === exportId) return Number(marker.done?.N ?? 0);
  if (force) return 0;
  if (marker)
    throw new TargetNotEmptyError(
      table,
      `an import of another export (${marker.exportId?.S}) did not finish`,
    );
  const firstPage = await tablePages(client, table, { limit: 2 }).next();
  const found = ((firstPage.value ?? []) as readonly RawItem[]).filter((i) => !isImportMarker(i));
  if (found.length > 0) throw new TargetNotEmptyError(table, `it holds ${found[0]?.pk?.S}`);
  return 0;
}
