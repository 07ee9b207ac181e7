/**
 * `coffee-es rebuild <projection ...|all>`: drops the named read models and rebuilds them from
 * the journal, with a progress bar, while the projector is paused; the projector then takes over
 * from where it stopped, skipping what the rebuild already replayed.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { rebuildProjections } from '@coffee-es/core';
import { DynamoJournal, DynamoReadModelStore } from '@coffee-es/dynamodb';
import { pauseFiles } from '../pauseFiles.ts';
import type { AppModule } from './appModule.ts';
import { dataDir, dynamoClientOf, findEndpoints } from './endpoints.ts';

export const rebuildHelp = `Usage: coffee-es rebuild [--system <module>] [--projector-paused] <projection ...|all>

Drops the named read models (the system module's \`projections\`) and rebuilds them from the
journal while the projector is paused; commands keep working throughout. Against a running
\`coffee-es start\` (DATA_DIR/runtime.json) it pauses the local projector itself. On AWS
(JOURNAL_TABLE, READ_MODEL_TABLE in the environment), disable the projector's event-source
mapping first and pass --projector-paused.`;

export async function rebuild(app: AppModule, root: string, args: string[]): Promise<number> {
  const projections = app.projections ?? app.system.readSide?.projections ?? [];
  const flags = args.filter((a) => a.startsWith('--'));
  const names = args.filter((a) => !a.startsWith('--'));
  const known = projections.map((p) => p.name);
  const chosen = names.includes('all')
    ? projections
    : projections.filter((p) => names.includes(p.name));
  const unknown = names.filter((n) => n !== 'all' && !known.includes(n));
  const unknownFlags = flags.filter((f) => f !== '--projector-paused');
  if (chosen.length === 0 || unknown.length > 0 || unknownFlags.length > 0) {
    console.error(`Usage: coffee-es rebuild <${[...known, 'all'].join('|')}> ...`);
    if (unknown.length > 0) console.error(`Unknown projection: ${unknown.join(', ')}`);
    if (unknownFlags.length > 0) console.error(`Unknown option: ${unknownFlags.join(', ')}`);
    if (projections.length === 0)
      console.error('The system module exports no `projections` (nor a `readSide` in `system`)');
    return 2;
  }

  let resume: (() => Promise<void>) | undefined;
  try {
    const endpoints = await findEndpoints(root);
    if (endpoints.source === 'local') {
      resume = await pauseLocalProjector(root);
    } else if (!flags.includes('--projector-paused')) {
      throw new Error(
        "disable the projector's event-source mapping first (aws lambda update-event-source-mapping --uuid <id> --no-enabled), then run again with --projector-paused; enable it afterwards and it takes over from where it stopped",
      );
    }
    const journalTable = endpoints.tables.journal;
    const readModelTable = endpoints.tables.readModels;
    if (!journalTable || !readModelTable)
      throw new Error('JOURNAL_TABLE and READ_MODEL_TABLE are needed');
    const client = dynamoClientOf(endpoints);
    const described = await client.send(new DescribeTableCommand({ TableName: journalTable }));
    // An estimate: the journal's item count also holds other entity types and idempotency
    // records (and AWS refreshes it every few hours), so the bar stops short of 100% until the end.
    const estimate = Math.max(1, described.Table?.ItemCount ?? 1);
    const started = Date.now();
    const bar = (done: number, p: { commits: number; events: number }) => {
      const width = 30;
      const filled = Math.round(done * width);
      const drawn = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(done * 100)}%`;
      process.stderr.write(`\r${drawn} ${p.commits} commits, ${p.events} events   `);
    };
    console.log(`Rebuilding ${chosen.map((p) => p.name).join(', ')} from ${journalTable}`);
    const result = await rebuildProjections({
      journal: new DynamoJournal({ client, tableName: journalTable }),
      store: new DynamoReadModelStore(client, readModelTable),
      projections: chosen,
      schemas: app.eventSchemas ?? app.system.readSide?.eventSchemas ?? {},
      onProgress: (p) => bar(Math.min(0.99, p.commits / estimate), p),
    });
    const seconds = (Date.now() - started) / 1000;
    bar(1, result);
    process.stderr.write('\n');
    console.log(
      `Done: dropped ${result.dropped} items, replayed ${result.events} events from ${result.commits} commits in ${seconds.toFixed(1)} s (${Math.round(result.events / Math.max(seconds, 0.001))} events/s).`,
    );
    client.destroy();
    return 0;
  } catch (error) {
    console.error(`Rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await resume?.();
  }
}

/** Asks the running `coffee-es start` to pause its projector; resolves once it has. */
async function pauseLocalProjector(root: string): Promise<() => Promise<void>> {
  const dir = resolve(dataDir(root), 'control');
  const files = pauseFiles(dir, 'projector');
  await mkdir(dir, { recursive: true });
  await rm(files.acknowledged, { force: true });
  await writeFile(files.request, new Date().toISOString());
  const resumeProjector = () => rm(files.request, { force: true });
  for (let waited = 0; ; waited += 100) {
    if (
      await access(files.acknowledged).then(
        () => true,
        () => false,
      )
    )
      break;
    if (waited > 60_000) {
      await resumeProjector();
      throw new Error('the running coffee-es start did not pause its projector within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log('Projector paused');
  return async () => {
    await resumeProjector();
    console.log('Projector resumed: it takes over from where it stopped');
  };
}
