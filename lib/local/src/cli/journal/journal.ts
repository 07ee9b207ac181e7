/**
 * `coffee-es journal export|import|migrate|compare`: the journal as JSON Lines, and a live copy
 * into a new table with a parity report. The work is in ops/journal/; this parses and prints.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportJournal } from '../../ops/journal/exportJournal.ts';
import { JournalFormatError } from '../../ops/journal/format.ts';
import { importJournal, TargetNotEmptyError } from '../../ops/journal/importJournal.ts';
import type { AppModule } from '../appModule.ts';
import { dynamoClientOf } from '../endpoints.ts';
import { UsageError } from '../ops/flags.ts';
import { output } from '../ops/output.ts';
import { tableName, targetHelp } from '../ops/target.ts';
import { checkTableName } from './args.ts';
import { journalArgs } from './journalArgs.ts';
import { compareCommand, migrateCommand } from './migrateCommand.ts';

export const journalHelp = `Usage: coffee-es journal <export|import|migrate|compare> [options]

  export  [--out <file>] [--table <name>] [--json]
          Every item of the journal table as JSON Lines (stdout by default): a header, one line
          per item as DynamoDB holds it, a trailer. Constant memory. Export a quiet table; copy a
          live one with migrate.
  import  [--in <file>] [--to <table>] [--force] [--json]
          An export into a journal table (the system's by default; created when missing).
          Refuses a table that holds anything unless --force. Interrupted, it resumes when run
          again with the same file.
  migrate --to <table> [--sample <0-1>] [--force] [--json]
          Copies the live journal into <table> while commands keep arriving: a full pass, then
          the journal's DynamoDB stream from a mark taken before it, until the copy is level;
          then the parity report. Exit 1 when anything differs.
  compare --to <table> [--sample <0-1>] [--json]
          The parity report alone: per entity type streams, events and the sums of the fields
          the system module's \`parity\` names; every item (or the payloads of a --sample share
          of streams) compared; a precise list of what differs.

Exit codes: 0 done (and equal), 1 failed or differs, 2 bad input or a refused target.

${targetHelp}`;

export async function journal(app: AppModule, root: string, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'export':
        return await exportCommand(app, root, rest);
      case 'import':
        return await importCommand(app, root, rest);
      case 'migrate':
        return await migrateCommand(app, root, rest);
      case 'compare':
        return await compareCommand(app, root, rest);
      default:
        throw new UsageError(
          sub === undefined ? 'journal needs a subcommand' : `Unknown subcommand: journal ${sub}`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${journalHelp}`);
      return 2;
    }
    if (error instanceof JournalFormatError || error instanceof TargetNotEmptyError) {
      console.error(`journal ${sub}: ${error.message}`);
      return 2;
    }
    console.error(
      `journal ${sub} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}

async function exportCommand(app: AppModule, root: string, args: string[]): Promise<number> {
  const parsed = journalArgs(args, { out: 'value', table: 'value' });
  const endpoints = await parsed.endpoints(app, root);
  const table = checkTableName('--table', parsed.values.table ?? tableName(endpoints, 'journal'));
  const file = parsed.values.out;
  // The export itself may be stdout: then the summary goes to stderr, with the notes.
  const out = output(parsed.json, {
    stdout: file === undefined ? process.stderr : process.stdout,
    stderr: process.stderr,
  });
  const sink = file === undefined ? process.stdout : createWriteStream(file);
  const client = dynamoClientOf(endpoints);
  const bar = out.progress(`export ${table}`);
  try {
    const result = await exportJournal({
      client,
      table,
      out: sink,
      onProgress: (p) => bar.update(p.items),
    });
    bar.end();
    if (file !== undefined) {
      sink.end();
      await finished(sink);
    }
    const kinds = Object.entries(result.kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    out.result(
      { table, ...result, ...(file === undefined ? {} : { file }) },
      () =>
        `Exported ${result.items} items (${kinds || 'none'}; ${result.events} events) of ${table}${file === undefined ? '' : ` to ${file}`}, export ${result.exportId}`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

async function importCommand(app: AppModule, root: string, args: string[]): Promise<number> {
  const parsed = journalArgs(args, { in: 'value', to: 'value', force: 'boolean' });
  const to = parsed.values.to;
  if (to !== undefined) checkTableName('--to', to);
  const endpoints = await parsed.endpoints(app, root);
  const table = to ?? tableName(endpoints, 'journal');
  const file = parsed.values.in;
  const out = output(parsed.json);
  const client = dynamoClientOf(endpoints);
  const bar = out.progress(`import into ${table}`);
  try {
    const result = await importJournal({
      client,
      table,
      input: file === undefined ? process.stdin : createReadStream(file),
      force: parsed.switches.has('force'),
      onProgress: (p) => bar.update(p.items),
    });
    bar.end();
    out.result(
      { table, ...result },
      () =>
        `Imported ${result.items} items of export ${result.exportId} into ${table}${result.resumedAfter > 0 ? ` (resumed after ${result.resumedAfter} written by an earlier run)` : ''}`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}
