/** `coffee-es journal migrate --to <table>` and `journal compare --to <table>`. */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { migrateJournal } from '../../ops/journal/migrate.ts';
import { compareJournals } from '../../ops/journal/parity.ts';
import type { AppModule } from '../appModule.ts';
import { dynamoClientOf, type Endpoints } from '../endpoints.ts';
import { UsageError } from '../ops/flags.ts';
import { output } from '../ops/output.ts';
import { tableName } from '../ops/target.ts';
import { checkTableName, parseFraction } from './args.ts';
import { type JournalArgs, journalArgs } from './journalArgs.ts';
import { describeReport } from './report.ts';

const streamsClientOf = (e: Endpoints) =>
  new DynamoDBStreamsClient({
    region: e.region,
    ...(e.dynamoEndpoint ? { endpoint: e.dynamoEndpoint } : {}),
    ...(e.accessKeyId
      ? { credentials: { accessKeyId: e.accessKeyId, secretAccessKey: 'local' } }
      : {}),
  });

function copyArgs(args: readonly string[]): JournalArgs & { to: string; sample: number } {
  const parsed = journalArgs(args, { to: 'value', sample: 'value', force: 'boolean' });
  const to = parsed.values.to;
  if (to === undefined) throw new UsageError('--to <table> is needed: the copy');
  return {
    ...parsed,
    to: checkTableName('--to', to),
    sample: parseFraction('--sample', parsed.values.sample, 1),
  };
}

export async function migrateCommand(app: AppModule, root: string, args: string[]) {
  const parsed = copyArgs(args);
  const endpoints = await parsed.endpoints(app, root);
  const source = tableName(endpoints, 'journal');
  if (source === parsed.to) throw new UsageError(`--to ${parsed.to} is the journal itself`);
  const out = output(parsed.json);
  const client = dynamoClientOf(endpoints);
  const streams = streamsClientOf(endpoints);
  const bar = out.progress('migrate');
  try {
    const result = await migrateJournal({
      client,
      streams,
      source,
      target: parsed.to,
      sample: parsed.sample,
      force: parsed.switches.has('force'),
      ...(app.parity ? { parity: app.parity } : {}),
      onProgress: (p) => bar.update(p.done),
    });
    bar.end();
    out.result(
      { copied: result.copied, caughtUp: result.caughtUp, passes: result.passes, ...result.report },
      () =>
        `Copied ${result.copied} items of ${source} into ${parsed.to}, then ${result.caughtUp} change(s) from its stream in ${result.passes} catch-up pass(es).\n${describeReport(result.report)}`,
    );
    return result.report.clean ? 0 : 1;
  } finally {
    client.destroy();
    streams.destroy();
  }
}

export async function compareCommand(app: AppModule, root: string, args: string[]) {
  const parsed = copyArgs(args);
  const endpoints = await parsed.endpoints(app, root);
  const source = tableName(endpoints, 'journal');
  const out = output(parsed.json);
  const client = dynamoClientOf(endpoints);
  const bar = out.progress('compare');
  try {
    const report = await compareJournals({
      client,
      source,
      target: parsed.to,
      sample: parsed.sample,
      ...(app.parity ? { parity: app.parity } : {}),
      onProgress: (p) => bar.update(p.streams),
    });
    bar.end();
    out.result(report, () => describeReport(report));
    return report.clean ? 0 : 1;
  } finally {
    client.destroy();
  }
}
