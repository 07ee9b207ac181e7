/**
 * `coffee-es journal export|import` as an operator runs them: bad input answers exit 2 with a
 * precise message; an import killed (SIGKILL) part-way and run again ends with a table equal
 * to the source, resuming after what the killed run recorded.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliTarget, runCli, startCli } from '../../support/coffeeEsCli.ts';
import { seedOrders } from '../../support/journalSeed.ts';
import { allItems, ensureCopyTables, seedOtherKinds } from '../../support/journalTables.ts';
import { dynamoClient, dynamoEndpoint } from '../../support/localStack.ts';

const client = dynamoClient('journalCli');
let target: CliTarget;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coffee-journal-cli-'));
  file = join(dir, 'journal.jsonl');
  const { accessKeyId } = await client.config.credentials();
  target = { endpoint: dynamoEndpoint(), accessKeyId, journalTable: 'live' };
  await ensureTables(client, { live: journalTable });
  await seedOrders(client, 'live', { events: 6_000, branchId: 'b1', day: '2026-11-30' });
  await seedOtherKinds(client, 'live');
}, 120_000);
afterAll(async () => {
  client.destroy();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('coffee-es journal', () => {
  it('refuses bad input with exit 2 and says what is wrong', async () => {
    await writeFile(join(dir, 'not-an-export.jsonl'), '{"hello":1}\n');
    const cases: [string[], RegExp][] = [
      [['journal'], /journal needs a subcommand/],
      [['journal', 'nonsense'], /Unknown subcommand: journal nonsense/],
      [['journal', 'export', '--bogus'], /Unknown option: --bogus/],
      [['journal', 'export', '--out'], /--out needs a value/],
      [['journal', 'import', '--to', 'a b'], /is not a DynamoDB table name/],
      [
        ['journal', 'import', '--in', join(dir, 'not-an-export.jsonl'), '--to', 'other'],
        /line 1: not a coffee-es.journal export/,
      ],
      [['journal', 'import', '--in', join(dir, 'not-an-export.jsonl')], /line 1/],
      [['journal', 'migrate'], /--to <table> is needed/],
      [['journal', 'migrate', '--to', 'live'], /is the journal itself/],
      [
        ['journal', 'compare', '--to', 'other', '--sample', '2'],
        /--sample must be a number from 0 to 1/,
      ],
      [['journal', 'compare', '--to', 'other', 'extra'], /Unexpected argument: extra/],
      [['journal', 'export', '--region', 'eu-west-1'], /--region and --stack go together/],
    ];
    for (const [args, message] of cases) {
      const out = await runCli(target, args);
      expect(out.code, `${args.join(' ')}\n${out.stderr}`).toBe(2);
      expect(out.stderr).toMatch(message);
    }
    const help = await runCli(target, ['journal', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/coffee-es journal <export\|import/);
  }, 120_000);

  it('exports, refuses a non-empty target, and survives SIGKILL mid-import', async () => {
    const exported = await runCli(target, ['journal', 'export', '--out', file, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const summary = JSON.parse(exported.stdout);
    const source = await allItems(client, 'live');
    expect(summary.items).toBe(source.length);

    const refused = await runCli(target, ['journal', 'import', '--in', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/live is not empty .* pass --force/);

    const killed = startCli(target, ['journal', 'import', '--in', file, '--to', 'copy']);
    // Kill it once the marker records progress, before it reaches the end.
    for (let i = 0; ; i++) {
      const marker = await client
        .send(
          new GetItemCommand({
            TableName: 'copy',
            Key: { pk: { S: 'coffee-es#import' }, sk: { N: '0' } },
          }),
        )
        .catch(() => undefined);
      if (Number(marker?.Item?.done?.N ?? 0) > 0) break;
      if (i > 600) throw new Error('the import never recorded progress');
      await sleep(50);
    }
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    const partial = (await allItems(client, 'copy')).length;
    expect(partial).toBeLessThan(source.length);

    const rerun = await runCli(target, [
      'journal',
      'import',
      '--in',
      file,
      '--to',
      'copy',
      '--json',
    ]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const result = JSON.parse(rerun.stdout);
    expect(result.resumedAfter).toBeGreaterThan(0);
    expect(await allItems(client, 'copy')).toEqual(source);
  }, 180_000);

  it('migrates into a new table with a clean report; a tampered copy fails it, naming each item', async () => {
    await ensureCopyTables(client, ['migrated']);
    const migrated = await runCli(target, ['journal', 'migrate', '--to', 'migrated', '--json']);
    expect(migrated.code, migrated.stderr).toBe(0);
    const report = JSON.parse(migrated.stdout);
    expect(report.clean).toBe(true);
    expect(report.types.Order.source.events).toBeGreaterThanOrEqual(6_000);
    expect(report.types.Order.target).toEqual(report.types.Order.source);

    // One event altered (a payment's amount), one commit removed.
    const key = (pk: string, sk: number) => ({ pk: { S: pk }, sk: { N: String(sk) } });
    const paid = await client.send(
      new GetItemCommand({ TableName: 'migrated', Key: key('Order#seed-000003', 2) }),
    );
    const item = paid.Item ?? {};
    const altered = (item.ev?.S ?? '').replace(
      /"amount":(\d+)/,
      (_m, n) => `"amount":${Number(n) + 1}`,
    );
    expect(altered).not.toBe(item.ev?.S);
    await client.send(
      new PutItemCommand({ TableName: 'migrated', Item: { ...item, ev: { S: altered } } }),
    );
    await client.send(
      new DeleteItemCommand({ TableName: 'migrated', Key: key('Order#seed-000010', 3) }),
    );

    const compared = await runCli(target, ['journal', 'compare', '--to', 'migrated', '--json']);
    expect(compared.code).toBe(1);
    const differences = JSON.parse(compared.stdout).differences;
    expect(differences).toEqual([
      {
        kind: 'figures',
        where: 'Order',
        detail: expect.stringMatching(/^events \d+ ≠ \d+; sum of OrderPaid\.amount \d+ ≠ \d+$/),
      },
      { kind: 'altered', where: 'Order#seed-000003@2', detail: 'differs in ev' },
      {
        kind: 'missing',
        where: 'Order#seed-000010@3',
        detail: 'a commit in the source, not in the target',
      },
    ]);
    const human = await runCli(target, ['journal', 'compare', '--to', 'migrated']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/3 difference\(s\):/);
    expect(human.stdout).toMatch(/altered\s+Order#seed-000003@2/);
    expect(human.stdout).toMatch(/missing\s+Order#seed-000010@3/);
  }, 300_000);
});
