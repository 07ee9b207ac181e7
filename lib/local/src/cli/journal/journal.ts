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
import { dynamoClientOf, findEndpoints } from '../endpoints.ts';
import { checkTableName, parseFlags, UsageError } from './flags.ts';
import { progressLine } from './progress.ts';

export const journalHelp = `Usage: coffee-es journal <export|import|migrate|compare> [options]

  export  [--out <file>] [--table <name>] [--json]
          Every item of the journal table as JSON Lines (stdout by default): a header, one line
          per item as DynamoDB holds it, a trailer. Constant memory. Export a quiet table; copy a
          live one with migrate.
  import  [--in <file>] [--to <table>] [--force] [--json]
          An export into a journal table (the system's by default; created when missing).
          Refuses a table that holds anything unless --force. Interrupted, it resumes when run
          again with the same file.
  migrate --to <table> [--sample <0-1>] [--json]
          Copies the live journal into <table> while commands keep arriving: a full pass, then
          the journal's DynamoDB stream from a position taken before it, until the copy is level;
          then the parity report. Exit 1 when anything differs.
  compare --to <table> [--sample <0-1>] [--json]
          The parity report alone: per entity type streams and events, sums of the fields the
          system module's \`parity\` names, every item (or a --sample of streams) compared.

The journal is the running \`coffee-es start\`'s, or JOURNAL_TABLE on AWS (see rebuild --help).
Exit codes: 0 done and equal, 1 failed or differs, 2 bad input or a refused target.`;

const summary = (json: boolean, result: object, text: string, toStderr = false) => {
  const line = json ? JSON.stringify(result) : text;
  if (toStderr) console.error(line);
  else console.log(line);
};

export async function journal(_app: AppModule, root: string, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'export':
        return await exportCommand(root, rest);
      case 'import':
        return await importCommand(root, rest);
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

async function exportCommand(root: string, args: string[]): Promise<number> {
  const flags = parseFlags(args, { values: ['--out', '--table'], switches: ['--json'] });
  const json = flags.switches.has('--json');
  const endpoints = await findEndpoints(root);
  const table = checkTableName('--table', flags.values['--table'] ?? journalTableOf(endpoints));
  const file = flags.values['--out'];
  const out = file === undefined ? process.stdout : createWriteStream(file);
  const client = dynamoClientOf(endpoints);
  const progress = progressLine(json);
  try {
    const result = await exportJournal({
      client,
      table,
      out,
      onProgress: (p) => progress.update(`exporting ${table}: ${p.items} items`),
    });
    progress.done();
    if (file !== undefined) {
      out.end();
      await finished(out);
    }
    const kinds = Object.entries(result.kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    summary(
      json,
      { table, ...result, ...(file === undefined ? {} : { file }) },
      `Exported ${result.items} items (${kinds || 'none'}; ${result.events} events) of ${table}${file === undefined ? '' : ` to ${file}`}, export ${result.exportId}`,
      file === undefined,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

async function importCommand(root: string, args: string[]): Promise<number> {
  const flags = parseFlags(args, { values: ['--in', '--to'], switches: ['--json', '--force'] });
  const json = flags.switches.has('--json');
  const file = flags.values['--in'];
  const endpoints = await findEndpoints(root);
  const table = checkTableName('--to', flags.values['--to'] ?? journalTableOf(endpoints));
  const input = file === undefined ? process.stdin : createReadStream(file);
  const client = dynamoClientOf(endpoints);
  const progress = progressLine(json);
  try {
    const result = await importJournal({
      client,
      table,
      input,
      force: flags.switches.has('--force'),
      onProgress: (p) => progress.update(`importing into ${table}: ${p.items} items`),
    });
    progress.done();
    summary(
      json,
      { table, ...result },
      `Imported ${result.items} items of export ${result.exportId} into ${table}${result.resumedAfter > 0 ? ` (resumed after ${result.resumedAfter} written by an earlier run)` : ''}`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

export function journalTableOf(endpoints: { readonly tables: Readonly<Record<string, string>> }) {
  const table = endpoints.tables.journal;
  if (!table) throw new UsageError('No journal table: JOURNAL_TABLE is not set');
  return table;
}
