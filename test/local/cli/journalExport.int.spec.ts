/**
 * `journal export` then `journal import` into an empty table reproduces every item of the
 * journal exactly: commits (with snapshots, replies, tags), durable state, refusal notes and
 * claims. An import refuses a table holding anything unless forced, and an import cut short
 * (a file without its trailer) leaves a marker from which the whole file's import resumes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import {
  exportJournal,
  importJournal,
  TargetNotEmptyError,
  TruncatedExportError,
} from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrders } from '../../support/journalSeed.ts';
import { allItems, ensureCopyTables, seedOtherKinds } from '../../support/journalTables.ts';
import { dynamoClient } from '../../support/localStack.ts';

const client = dynamoClient('journalExport');
let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coffee-journal-'));
  file = join(dir, 'journal.jsonl');
  await ensureTables(client, { source: journalTable });
  await seedOrders(client, 'source', { events: 2_000, branchId: 'b1', day: '2026-11-30' });
  await seedOtherKinds(client, 'source');
  const out = createWriteStream(file);
  await exportJournal({ client, table: 'source', out });
  out.end();
  await finished(out);
});
afterAll(async () => {
  client.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('journal export and import', () => {
  it('reproduces every item of every kind in an empty table', async () => {
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'coffee-es.journal', version: 1 });
    const source = await allItems(client, 'source');
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual({ end: true, items: source.length });
    const kinds = new Set(source.map((i) => (i.kind as { S: string }).S));
    expect([...kinds].sort()).toEqual(['claim', 'commit', 'note', 'state']);

    await ensureCopyTables(client, ['copy']);
    const result = await importJournal({ client, table: 'copy', input: createReadStream(file) });
    expect(result.items).toBe(source.length);
    expect(await allItems(client, 'copy')).toEqual(source);
  });

  it('refuses a table that holds anything, unless forced', async () => {
    await ensureCopyTables(client, ['busy']);
    await seedOtherKinds(client, 'busy');
    await expect(
      importJournal({ client, table: 'busy', input: createReadStream(file) }),
    ).rejects.toThrow(TargetNotEmptyError);
    expect((await allItems(client, 'busy')).length).toBe(4); // untouched: no marker either
    await importJournal({ client, table: 'busy', input: createReadStream(file), force: true });
    expect(await allItems(client, 'busy')).toEqual(await allItems(client, 'source'));
  });

  it('resumes an import cut short, from its marker, to the same table', async () => {
    const whole = await readFile(file, 'utf8');
    const lines = whole.trim().split('\n');
    const cut = join(dir, 'cut.jsonl');
    await writeFile(cut, `${lines.slice(0, 1_200).join('\n')}\n`);
    await expect(
      importJournal({
        client,
        table: 'resumed',
        input: createReadStream(cut),
        checkpointEvery: 500,
      }),
    ).rejects.toThrow(TruncatedExportError);
    const marker = await client.send(
      new GetItemCommand({
        TableName: 'resumed',
        Key: { pk: { S: 'coffee-es#import' }, sk: { N: '0' } },
        ConsistentRead: true,
      }),
    );
    expect(marker.Item?.exportId?.S).toBe(JSON.parse(lines[0] ?? '').exportId);
    // 1,199 items were read and written; the marker holds the last multiple of 500 it recorded.
    expect(marker.Item?.done?.N).toBe('1000');
    // Another export is refused while the marker names this one.
    const other = join(dir, 'other.jsonl');
    await writeFile(other, whole.replace(/"exportId":"[^"]+"/, '"exportId":"someone-else"'));
    await expect(
      importJournal({ client, table: 'resumed', input: createReadStream(other) }),
    ).rejects.toThrow(/another export/);
    const result = await importJournal({ client, table: 'resumed', input: createReadStream(file) });
    expect(result.items).toBe(lines.length - 2);
    expect(result.resumedAfter).toBe(1_000);
    expect(await allItems(client, 'resumed')).toEqual(await allItems(client, 'source'));
  });
});
