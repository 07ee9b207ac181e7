/**
 * `--region <r> --stack <name>`: the operator commands read the deployed stack's CloudFormation
 * outputs and work on the tables they name. CloudFormation is played by a local endpoint answering
 * DescribeStacks as AWS does (AWS_ENDPOINT_URL_CLOUDFORMATION), naming the tables of a local
 * runtime (AWS_ENDPOINT_URL_DYNAMODB), with no runtime.json to fall back on: a stack whose outputs
 * lack the journal, or no such stack, fails with a message that says so.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { childEnvironment } from '../../support/childProcess.ts';
import { spawnCoffeeEs } from '../../support/coffeeEsCli.ts';
import { driveOrder, openShop } from './orderTrail.ts';

let app: App;
let cloudFormation: Server;
let endpoint: string;
let dataDir: string;
let orderId: string;
const asked: string[] = [];

const member = (key: string, value: string) =>
  `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`;
function describeStacks(name: string, outputs: Record<string, string>): string {
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult><Stacks><member>
    <StackName>${name}</StackName>
    <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1</StackId>
    <CreationTime>2026-11-30T10:00:00Z</CreationTime>
    <StackStatus>UPDATE_COMPLETE</StackStatus>
    <Outputs>${Object.entries(outputs)
      .map(([k, v]) => member(k, v))
      .join('')}</Outputs>
  </member></Stacks></DescribeStacksResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;
}
const noSuchStack = (name: string) =>
  `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`;

beforeAll(async () => {
  app = await startApp('cliStack', { workers: false });
  await openShop(app);
  orderId = await driveOrder(app, 'st');
  dataDir = await mkdtemp(join(tmpdir(), 'coffee-stack-cli-'));
  const { runtime } = app;
  const outputs: Record<string, string> = {
    ApiUrl: runtime.url,
    JournalTableName: runtime.tableNames.journal as string,
    ReadModelsTableName: runtime.tableNames.readModels as string,
    EventsQueueUrl: runtime.queueUrls?.queues.events as string,
    EventsDeadLetterQueueUrl: runtime.queueUrls?.deadLetters.events as string,
  };
  cloudFormation = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const stack = form.get('StackName') ?? '';
      asked.push(`${form.get('Action')} ${stack}`);
      const { JournalTableName: _journal, ...withoutJournal } = outputs;
      const answer =
        stack === 'Coffee'
          ? describeStacks(stack, outputs)
          : stack === 'CoffeeOld'
            ? describeStacks(stack, withoutJournal)
            : undefined;
      response.writeHead(answer ? 200 : 400, { 'content-type': 'text/xml' });
      response.end(answer ?? noSuchStack(stack));
    });
  });
  await new Promise<void>((ready) => cloudFormation.listen(0, '127.0.0.1', ready));
  endpoint = `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => cloudFormation?.close(done));
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { runtime } = app;
  const env = childEnvironment({
    DATA_DIR: dataDir,
    AWS_ACCESS_KEY_ID: runtime.environment.AWS_ACCESS_KEY_ID ?? '',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamoEndpoint,
    AWS_MAX_ATTEMPTS: '1',
  });
  return spawnCoffeeEs(args, { env, system: null }).done;
}
const region = () => app.runtime.environment.AWS_REGION ?? 'us-east-1';

describe('the operator commands against a deployed stack', () => {
  it("work on the tables the stack's outputs name", async () => {
    const run = await cli(
      'events',
      '--system',
      'functions/app/cli.ts',
      'Order',
      orderId,
      '--region',
      region(),
      '--stack',
      'Coffee',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(6);
    expect(asked).toContain('DescribeStacks Coffee');
    const state = await cli(
      'state',
      '--system=functions/app/cli.ts',
      'Order',
      orderId,
      `--region=${region()}`,
      '--stack=Coffee',
      '--json',
    );
    expect(state.code, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout)).toMatchObject({ version: 6 });
  });

  it('fail with a message when the stack lacks an output or does not exist', async () => {
    const old = await cli(
      'entities',
      '--system',
      'functions/app/cli.ts',
      'Order',
      '--region',
      region(),
      '--stack',
      'CoffeeOld',
    );
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/has no output JournalTableName: is it this system's stack\?/);
    const none = await cli(
      'entities',
      '--system',
      'functions/app/cli.ts',
      'Order',
      '--region',
      region(),
      '--stack',
      'Nope',
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      `Could not read stack Nope in ${region()}: Stack with id Nope does not exist`,
    );
  });
});
