/**
 * The HTTP path, as clients use it: each contract route's DynamoDB requests, consumed capacity and
 * latency, with and without `Idempotency-Key`, on a warm container (it served the entity before)
 * and a cold one (a fresh instance of the HTTP function module), counted on the wire by a proxy in
 * front of DynamoDB Local. The floor is the raw SDK doing what the budget allows (one conditional
 * PutItem warm; one Query and one PutItem cold), measured in the same run.
 */
import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, type TableSpec } from '@coffee-es/dynamodb';
import { clientFor, localTableName } from '@coffee-es/local';
import { system } from '../functions/app/system.ts';
import { type FaultProxy, type ProxiedCall, startFaultProxy } from '../test/support/faultProxy.ts';
import { context, eventOf } from './httpEvent.ts';
import { contractScenarios, type Handler, type Request, type Scenario } from './httpScenarios.ts';
import { median, round, timed } from './stats.ts';

const writeOps = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

export type RouteCost = {
  route: string;
  keyed: string;
  container: string;
  readRequests: number;
  writeRequests: number;
  rcu: number;
  wcu: number;
  p50Ms: number;
};

/** One measured request: its DynamoDB calls and its latency. */
interface Sample {
  calls: ProxiedCall[];
  ms: number;
  status: number;
}

function costOf(
  route: string,
  keyed: boolean,
  container: string,
  samples: readonly Sample[],
): RouteCost {
  const n = samples.length;
  const all = samples.flatMap((s) => s.calls);
  const units = (c: ProxiedCall) => {
    const consumed = c.output.ConsumedCapacity as
      | { CapacityUnits?: number }
      | { CapacityUnits?: number }[]
      | undefined;
    const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    return list.reduce((sum, x) => sum + (x.CapacityUnits ?? 0), 0);
  };
  const reads = all.filter((c) => !writeOps.has(c.operation));
  const writes = all.filter((c) => writeOps.has(c.operation));
  return {
    route,
    keyed: keyed ? 'yes' : 'no',
    container,
    readRequests: round(reads.length / n),
    writeRequests: round(writes.length / n),
    rcu: round(reads.reduce((s, c) => s + units(c), 0) / n),
    wcu: round(writes.reduce((s, c) => s + units(c), 0) / n),
    p50Ms: round(median(samples.map((s) => s.ms))),
  };
}

/**
 * Requests, capacity and p50 latency of each contract route, keyed and not, warm and cold.
 * `rounds` samples of each.
 */
export async function httpRouteCosts(dynamoEndpoint: string, rounds = 20) {
  const proxy = await startFaultProxy(dynamoEndpoint, { measureCapacity: true });
  const accessKeyId = `benchhttp${Date.now()}`;
  const tables: Record<string, TableSpec> = {};
  for (const [logical, spec] of Object.entries(system.tables)) {
    tables[localTableName(system.service, logical)] = spec;
    process.env[spec.envVar] = localTableName(system.service, logical);
  }
  const admin = clientFor(proxy.endpoint, accessKeyId, 'us-east-1');
  await ensureTables(admin, tables);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: proxy.endpoint,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  let instances = 0;
  /** A new container: a fresh instance of the HTTP function's module, with empty caches. */
  const container = async (): Promise<Handler> => {
    const url = `../functions/handlers/http.ts?container=${++instances}`;
    return ((await import(url)) as { handler: Handler }).handler;
  };
  const send = async (on: Handler, request: Request, headers: Record<string, string> = {}) => {
    const event = eventOf(request, headers);
    const answer = await on(event, context);
    if ((answer.statusCode ?? 500) >= 300) {
      throw new Error(`${request.method} ${request.template}: ${answer.statusCode} ${answer.body}`);
    }
    return JSON.parse(answer.body ?? '{}');
  };

  const setup = await container();
  const scenarios = await contractScenarios(setup, send);
  // A first pass warms DynamoDB Local's JVM and the module graph up; only the second counts.
  await measureAll(proxy, container, setup, scenarios, 3);
  const rows = await measureAll(proxy, container, setup, scenarios, rounds);
  const floor = await rawFloor(clientFor(dynamoEndpoint, `${accessKeyId}floor`), rounds);
  admin.destroy();
  await proxy.close();
  return { routes: rows, floor };
}

/** Each scenario, keyed and not: warm (its own container prepared it), cold, and the repeat. */
async function measureAll(
  proxy: FaultProxy,
  container: () => Promise<Handler>,
  setup: Handler,
  scenarios: readonly Scenario[],
  rounds: number,
): Promise<RouteCost[]> {
  const measure = async (
    on: Handler,
    request: Request,
    headers: Record<string, string>,
  ): Promise<Sample> => {
    const before = proxy.calls.length;
    let status = 0;
    const ms = await timed(async () => {
      status = (await on(eventOf(request, headers), context)).statusCode ?? 0;
    });
    if (status >= 300) throw new Error(`${request.method} ${request.template}: ${status}`);
    return { calls: proxy.calls.slice(before), ms, status };
  };

  const one = async (scenario: Scenario, keyed: boolean): Promise<RouteCost[]> => {
    const key = (): Record<string, string> => (keyed ? { 'idempotency-key': randomUUID() } : {});
    const warm = await container();
    const samples = { warm: [] as Sample[], cold: [] as Sample[], repeat: [] as Sample[] };
    for (let i = 0; i < rounds; i++) {
      samples.warm.push(await measure(warm, await scenario.prepare(warm), key()));
      const request = await scenario.prepare(setup);
      const cold = await container();
      const coldKey = key();
      samples.cold.push(await measure(cold, request, coldKey));
      // The same request again, as a client whose answer was lost sends it.
      if (keyed) samples.repeat.push(await measure(cold, request, coldKey));
    }
    return [
      costOf(scenario.route, keyed, 'warm', samples.warm),
      costOf(scenario.route, keyed, 'cold', samples.cold),
      ...(keyed ? [costOf(scenario.route, keyed, 'repeat', samples.repeat)] : []),
    ];
  };
  const rows: RouteCost[] = [];
  for (const scenario of scenarios) {
    for (const keyed of scenario.keyable ? [false, true] : [false]) {
      rows.push(...(await one(scenario, keyed)));
    }
  }
  return rows;
}

async function rawFloor(client: ReturnType<typeof clientFor>, rounds: number) {
  await ensureTables(client, { floor: system.tables.journal });
  const put = (pk: string, sk: number) =>
    client.send(
      new PutItemCommand({
        TableName: 'floor',
        Item: {
          pk: { S: pk },
          sk: { N: String(sk) },
          kind: { S: 'commit' },
          data: { S: 'x'.repeat(300) },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  const warm: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const pk = `Order#floor${i}`;
    warm.push(await timed(() => put(pk, 1)));
    cold.push(
      await timed(async () => {
        await client.send(
          new QueryCommand({
            TableName: 'floor',
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: pk } },
            ScanIndexForward: false,
            Limit: 10,
          }),
        );
        await put(pk, 2);
      }),
    );
  }
  client.destroy();
  return { warmPutMs: round(median(warm)), coldQueryPutMs: round(median(cold)) };
}
