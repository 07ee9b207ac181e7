/**
 * `journal export`: every item of a journal table as JSON Lines (see format.ts), in constant
 * memory: one scan page at a time, and the next page read only once the output took the last.
 */

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  headerLine,
  isImportMarker,
  itemLine,
  journalFormat,
  journalFormatVersion,
  trailerLine,
} from './format.ts';
import { tablePages } from './items.ts';

/** What an export wrote. */
export interface ExportResult {
  readonly exportId: string;
  readonly items: number;
  /** Items per `kind` attribute (commit, state, note, claim, …). */
  readonly kinds: Readonly<Record<string, number>>;
  readonly events: number;
}

/**
 * Writes the journal table's items to `out`: a header, one line per item, a trailer. Left out:
 * only the marker of an import still running into this table (it is not journal content).
 * The scan is not a snapshot: export a table nobody writes, or copy a live one with `migrate`.
 *
 * @example
 * ```ts
 * const out = createWriteStream('journal.jsonl');
 * const result = await exportJournal({ client, table: 'coffee-journal', out });
 * out.end();
 * ```
 */
export async function exportJournal(options: {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly out: Writable;
  readonly onProgress?: (progress: { readonly items: number }) => void;
  readonly now?: () => Date;
}): Promise<ExportResult> {
  const { out } = options;
  const exportId = randomUUID();
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    headerLine({
      format: journalFormat,
      version: journalFormatVersion,
      exportId,
      table: options.table,
      exportedAt: (options.now ?? (() => new Date()))().toISOString(),
    }),
  );
  let items = 0;
  let events = 0;
  const kinds: Record<string, number> = {};
  for await (const page of tablePages(options.client, options.table)) {
    for (const item of page) {
      if (isImportMarker(item)) continue;
      const kind = item.kind?.S ?? '(none)';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      if (kind === 'commit') events += Number(item.to?.N) - Number(item.sk?.N) + 1;
      items++;
      await write(itemLine(item));
    }
    options.onProgress?.({ items });
  }
  await write(trailerLine(items));
  return { exportId, items, kinds, events };
}
