/**
 * `npm run rebuild -- <projection ...|all>`: drops the named read models and rebuilds them from the
 * journal, with a progress bar; the live projector carries on meanwhile without double counting.
 */

// Local tools run on the machine's Node 20; the functions run on the nodejs24.x Lambda runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { eventSchemas, projections } from '../functions/projections/index.ts';
import { DynamoJournal } from '../lib/dynamodb/journal.ts';
import { DynamoReadModelWriter } from '../lib/dynamodb/readModelWriter.ts';
import { rebuildProjections } from '../lib/dynamodb/rebuild.ts';
import { dynamoClientOf, findEndpoints } from './localEndpoints.ts';

const names = process.argv.slice(2);
const known = projections.map((p) => p.name);
const chosen = names.includes('all')
  ? projections
  : projections.filter((p) => names.includes(p.name));
const unknown = names.filter((n) => n !== 'all' && !known.includes(n));
if (chosen.length === 0 || unknown.length > 0) {
  console.error(`Usage: npm run rebuild -- <${known.join('|')}|all> ...`);
  if (unknown.length > 0) console.error(`Unknown projection: ${unknown.join(', ')}`);
  process.exit(2);
}

try {
  const endpoints = await findEndpoints();
  const journalTable = endpoints.tables.journal;
  const readModelTable = endpoints.tables.readModels;
  if (!journalTable || !readModelTable)
    throw new Error('JOURNAL_TABLE and READ_MODEL_TABLE are needed');
  const client = dynamoClientOf(endpoints);
  const described = await client.send(new DescribeTableCommand({ TableName: journalTable }));
  const estimate = Math.max(1, described.Table?.ItemCount ?? 1);
  const started = Date.now();
  const bar = (commits: number) => {
    const done = Math.min(1, commits / estimate);
    const width = 30;
    const filled = Math.round(done * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(done * 100)}%`;
  };
  console.log(`Rebuilding ${chosen.map((p) => p.name).join(', ')} from ${journalTable}`);
  const result = await rebuildProjections({
    journal: new DynamoJournal({ client, tableName: journalTable }),
    writer: new DynamoReadModelWriter(client, readModelTable),
    projections: chosen,
    schemas: eventSchemas,
    onProgress: (p) =>
      process.stderr.write(`\r${bar(p.commits)} ${p.commits} commits, ${p.events} events   `),
  });
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write('\n');
  console.log(
    `Done: dropped ${result.dropped} items, replayed ${result.events} events from ${result.commits} commits in ${seconds.toFixed(1)} s (${Math.round(result.events / Math.max(seconds, 0.001))} events/s).`,
  );
  client.destroy();
} catch (error) {
  console.error(`Rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
