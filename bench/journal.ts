/**
 * Journal export and import in constant memory: journals of 10,000 and 100,000 events (order
 * streams written directly, see test/support/journalSeed.ts) exported to a file and imported
 * into an empty table, each in a process of its own (bench/journalProbe.ts) whose peak heap and
 * RSS are sampled, and whose maximum RSS `/usr/bin/time -v` reports when it is there; each beside
 * its raw-SDK floor (a bare scan, a bare batch copy), measured in the same run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { seedOrders } from '../test/support/journalSeed.ts';

const run = promisify(execFile);
const probe = join(import.meta.dirname, 'journalProbe.ts');

export type JournalMemoryRow = {
  readonly events: number;
  readonly items: number;
  /** `scan` and `copy`: the raw-SDK floor of `export` and `import`, measured in the same run. */
  readonly step: 'export' | 'import' | 'scan' | 'copy';
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly peakHeapMb: number;
  readonly peakRssMb: number;
  /** `/usr/bin/time -v`'s maximum resident set size, when the machine has it. */
  readonly maxRssMb?: number;
};

async function measure(args: string[]): Promise<Omit<JournalMemoryRow, 'events'>> {
  const node = [
    process.execPath,
    '--conditions=@coffee-es/source',
    '--import',
    'tsx',
    probe,
    ...args,
  ];
  const timed = existsSync('/usr/bin/time');
  const { stdout, stderr } = await run(
    timed ? '/usr/bin/time' : (node[0] as string),
    timed ? ['-v', ...node] : node.slice(1),
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
  return {
    step: result.mode,
    items: result.items,
    seconds: Math.round(result.ms / 100) / 10,
    itemsPerSecond: Math.round(result.items / Math.max(result.ms / 1000, 0.001)),
    peakHeapMb: result.peakHeapMb,
    peakRssMb: result.peakRssMb,
    ...(maxRss === undefined ? {} : { maxRssMb: Math.round(Number(maxRss) / 102.4) / 10 }),
  };
}

/** Export and import of journals of each size; rows in the order measured. */
export async function journalMemory(
  endpoint: string,
  sizes: readonly number[] = [10_000, 100_000],
  log: (line: string) => void = () => {},
): Promise<JournalMemoryRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'coffee-bench-journal-'));
  const rows: JournalMemoryRow[] = [];
  try {
    for (const events of sizes) {
      const database = `benchjournal${events}${Date.now()}`;
      const client = clientFor(endpoint, database);
      await ensureTables(client, { source: journalTable });
      const started = Date.now();
      await seedOrders(client, 'source', { events, branchId: 'b1', day: '2026-11-30' });
      log(`seeded ${events} events in ${Math.round((Date.now() - started) / 1000)} s`);
      client.destroy();
      const file = join(dir, `journal-${events}.jsonl`);
      // Each beside its floor, the raw SDK's scan and batch copy; the writes into fresh databases.
      for (const [step, db] of [
        ['scan', database],
        ['export', database],
        ['copy', `${database}floor`],
        ['import', `${database}import`],
      ] as const) {
        const table = step === 'scan' || step === 'export' ? 'source' : 'copy';
        const row = { events, ...(await measure([step, endpoint, db, table, file])) };
        log(JSON.stringify(row));
        rows.push(row);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
