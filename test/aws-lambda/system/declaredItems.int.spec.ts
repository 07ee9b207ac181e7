/**
 * The deployed roles allow only what each route group declares (`items` in the system
 * declaration). This checks the declaration against what the code really sends: every contract
 * route runs on the local server over DynamoDB Local, behind a recording proxy, and each
 * DynamoDB request it makes must be one its group declares, on items its key patterns match,
 * exactly as IAM would judge it (`ForAllValues:StringLike` on `dynamodb:LeadingKeys`). A request
 * the declaration misses would be AccessDenied on AWS; here it fails the test.
 */
import type { Route } from '@coffee-es/aws-lambda';
import type { DynamoRequest, ItemAccess } from '@coffee-es/dynamodb';
import { type LocalRuntime, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type FaultProxy, type ProxiedCall, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

let proxy: FaultProxy;
let runtime: LocalRuntime;
beforeAll(async () => {
  proxy = await startFaultProxy(dynamoEndpoint());
  runtime = await startLocalRuntime({
    system,
    root: process.cwd(),
    port: 0,
    dynamoEndpoint: proxy.endpoint,
    accessKeyId: `items${Math.random().toString(36).slice(2, 8)}`,
    logLevel: 'SILENT',
    workers: false,
    console: false, // its write meter polls the journal's stream: no route group's requests
  });
});
afterAll(async () => {
  await runtime?.stop();
  await proxy?.close();
});

/** One item-level request as IAM sees it: the action, the table, the partition keys it names. */
interface ItemRequest {
  readonly action: DynamoRequest | string;
  readonly table: string;
  readonly keys: readonly string[];
}

const pkOf = (item: unknown) => (item as { pk?: { S?: string } } | undefined)?.pk?.S ?? '?';

function itemRequests(call: ProxiedCall): ItemRequest[] {
  const input = call.input as Record<string, unknown>;
  const table = String(input.TableName ?? '');
  switch (call.operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: call.operation, table, keys: [pkOf(input.Key)] }];
    case 'PutItem':
      return [{ action: 'PutItem', table, keys: [pkOf(input.Item)] }];
    case 'Query': {
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
      return [{ action: 'Query', table, keys: [values[':pk']?.S ?? '?'] }];
    }
    case 'TransactWriteItems':
      return (
        input.TransactItems as Record<
          string,
          { TableName: string; Item?: unknown; Key?: unknown }
        >[]
      ).map((entry) => {
        const [kind, item] = Object.entries(entry)[0] as [
          string,
          { TableName: string; Item?: unknown; Key?: unknown },
        ];
        const action = kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`;
        return { action, table: item.TableName, keys: [pkOf(item.Item ?? item.Key)] };
      });
    case 'BatchGetItem':
      return Object.entries(
        input.RequestItems as unknown as Record<string, { Keys: unknown[] }>,
      ).map(([name, { Keys }]) => ({ action: 'BatchGetItem', table: name, keys: Keys.map(pkOf) }));
    default:
      return [{ action: call.operation, table, keys: [] }];
  }
}

/** IAM's StringLike: `*` any characters, `?` one. */
const like = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

function allowed(items: readonly ItemAccess[], request: ItemRequest): boolean {
  if (request.keys.length === 0) return false;
  return items.some(
    (access) =>
      access.requests.includes(request.action as DynamoRequest) &&
      request.keys.every((key) => access.keys.some((pattern) => like(pattern, key))),
  );
}

const logicalTable = (physical: string) =>
  Object.entries(runtime.tableNames).find(([, name]) => name === physical)?.[0] ?? physical;

const seen = new Set<string>();
let requestsChecked = 0;

async function call(
  route: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const [method] = route.split(' ') as [string];
  const declared = system.routes.find((r) => `${r.method} ${r.path}` === route) as Route<never>;
  expect(declared, route).toBeDefined();
  const group = system.routeGroups[declared.group];
  let status = 0;
  const calls = await proxy.during(async () => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    status = response.status;
    await response.arrayBuffer();
  });
  expect(status, `${route} answered ${status}`).toBeLessThan(500);
  requestsChecked += calls.length;
  for (const request of calls.flatMap(itemRequests)) {
    const table = logicalTable(request.table);
    const items = group?.items?.[table as keyof typeof group.items] ?? [];
    expect(
      allowed(items, request),
      `${declared.group}: ${request.action} on ${table} ${request.keys.join(',')} (${route})`,
    ).toBe(true);
  }
  seen.add(route);
  return status;
}

describe('every DynamoDB request of a route group is one its declared items allow', () => {
  it('holds on every route of the contract, keyed or not', async () => {
    const b = `b${Date.now().toString(36)}`;
    const c = `c${Date.now().toString(36)}`;
    expect(
      await call('PUT /branches/{branchId}', `/branches/${b}`, { name: 'Baixa', city: 'Lisbon' }),
    ).toBe(201);
    await call('GET /branches/{branchId}', `/branches/${b}`);
    await call(
      'POST /customers',
      '/customers',
      { customerId: c, name: 'Ana', email: 'ana@example.com' },
      { 'idempotency-key': 'k-c' },
    );
    await call(
      'POST /customers',
      '/customers',
      { name: 'Rui', email: 'rui@example.com' },
      { 'idempotency-key': 'k-c2' },
    );
    await call('GET /customers/{customerId}', `/customers/${c}`);
    await call(
      'POST /customers/{customerId}/redemptions',
      `/customers/${c}/redemptions`,
      { points: 5 },
      { 'idempotency-key': 'k-r' },
    );
    await call('GET /customers/{customerId}/events', `/customers/${c}/events`);
    await call('GET /customers/{customerId}/orders', `/customers/${c}/orders`);
    const items = [{ sku: 'latte', quantity: 2, unitPrice: 350 }];
    const placed = async (key: string) => {
      const response = await fetch(`${runtime.url}/branches/${b}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ customerId: c, items }),
      });
      return ((await response.json()) as { orderId: string }).orderId;
    };
    await call(
      'POST /branches/{branchId}/orders',
      `/branches/${b}/orders`,
      { customerId: c, items },
      { 'idempotency-key': 'k-o' },
    );
    const o = await placed('k-o');
    await call(
      'POST /orders/{orderId}/payment',
      `/orders/${o}/payment`,
      { amount: 700 },
      { 'idempotency-key': 'k-p' },
    );
    await call(
      'POST /orders/{orderId}/payment',
      `/orders/${o}/payment`,
      { amount: 700 },
      { 'idempotency-key': 'k-p' },
    );
    await call('POST /orders/{orderId}/ready', `/orders/${o}/ready`, {});
    await call('POST /orders/{orderId}/collection', `/orders/${o}/collection`, {});
    await call('POST /orders/{orderId}/refunds', `/orders/${o}/refunds`, {
      amount: 100,
      reason: 'cold',
    });
    await call('GET /orders/{orderId}', `/orders/${o}`);
    await call('GET /orders/{orderId}/events', `/orders/${o}/events`);
    const other = await placed('k-o2');
    await call('POST /orders/{orderId}/cancellation', `/orders/${other}/cancellation`, {});
    // A refused keyed command (wrong amount) is kept as a note in the stream.
    await call(
      'POST /orders/{orderId}/payment',
      `/orders/${other}/payment`,
      { amount: 1 },
      { 'idempotency-key': 'k-bad' },
    );
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    await call('PUT /branches/{branchId}/slots/{slotId}', `/branches/${b}/slots/s1`, {
      startsAt,
      capacity: 10,
    });
    await call('GET /branches/{branchId}/slots/{slotId}', `/branches/${b}/slots/s1`);
    const reserve = await fetch(`${runtime.url}/branches/${b}/slots/s1/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 2 }),
    });
    const { reservationId } = (await reserve.json()) as { reservationId: string };
    await call(
      'POST /branches/{branchId}/slots/{slotId}/reservations',
      `/branches/${b}/slots/s1/reservations`,
      { quantity: 1 },
      { 'idempotency-key': 'k-s' },
    );
    await call('DELETE /reservations/{reservationId}', `/reservations/${reservationId}`);
    await call('POST /availability', '/availability', {
      branchIds: [b],
      from: new Date().toISOString(),
      to: new Date(Date.now() + 7_200_000).toISOString(),
      quantity: 1,
    });
    await call(
      'GET /branches/{branchId}/sales',
      `/branches/${b}/sales?date=${new Date().toISOString().slice(0, 10)}`,
    );
    await call('GET /health', '/health');
    await call('GET /projections', '/projections');
    await call('GET /openapi.json', '/openapi.json');
    expect([...seen].sort()).toEqual(system.routes.map((r) => `${r.method} ${r.path}`).sort());
    expect(requestsChecked).toBeGreaterThan(30);
  });
});
