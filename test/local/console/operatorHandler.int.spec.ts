/**
 * The deployed operator console's handler (`createOperatorHandler`, what the stack runs under
 * `/_console/`) called with API Gateway events, as the deployed function is, against the app's
 * tables and queues on the local stack: its API for staff only (401 without a token where one is
 * required, 403 to a customer and where no operators are declared), a real dead letter peeked at
 * and redriven, its static files, and a failing DynamoDB answered 500 without its internals.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { clientFor, sqsClientFor } from '@coffee-es/local';
import { createOperatorHandler } from '@coffee-es/local/operator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopes } from '../../../functions/app/routes/access.ts';
import { system } from '../../../functions/app/system.ts';
import type { App } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { consoleApp, sendPoison, waitFor } from './consoleApp.ts';

let app: App;
let orderId: string;
let dynamo: DynamoDBClient;
let sqs: SQSClient;
let proxy: FaultProxy;
let env: Record<string, string>;
beforeAll(async () => {
  ({ app, orderId } = await consoleApp('operatorHandler'));
  const { runtime } = app;
  dynamo = clientFor(
    runtime.dynamoEndpoint,
    runtime.environment.AWS_ACCESS_KEY_ID,
    runtime.environment.AWS_REGION,
  );
  sqs = sqsClientFor(runtime.sqsEndpoint as string);
  proxy = await startFaultProxy(runtime.dynamoEndpoint);
  // What the stack hands the function: the tables by their declared variables, the queues in one.
  env = {
    [system.tables.journal.envVar]: runtime.tableNames.journal as string,
    [system.tables.readModels.envVar]: runtime.tableNames.readModels as string,
    OPERATOR_QUEUE_URLS: JSON.stringify(runtime.queueUrls),
    REQUIRE_TOKEN: 'true',
  };
});
afterAll(async () => {
  dynamo?.destroy();
  sqs?.destroy();
  await proxy?.close();
  await app?.stop();
});

/** An API Gateway event (payload 2.0), with the claims the JWT authorizer verified, if any. */
function event(method: string, path: string, scope?: string, query = '') {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: query,
    headers: {},
    requestContext: {
      http: { method, path },
      requestId: 'r-1',
      ...(scope ? { authorizer: { jwt: { claims: { sub: 'u-1', scope }, scopes: null } } } : {}),
    },
    isBase64Encoded: false,
  } as unknown as Parameters<ReturnType<typeof createOperatorHandler>>[0];
}
const body = (answer: { body?: string | undefined }) => JSON.parse(answer.body ?? 'null');

describe('the deployed operator console', () => {
  it('answers staff from the tables, refuses customers, and needs a token', async () => {
    const handler = createOperatorHandler({ system, env, dynamo, sqs });
    const path = `/_console/api/streams/Order/${orderId}`;
    const staff = await handler(event('GET', path, scopes.staff));
    expect(staff.statusCode).toBe(200);
    expect(body(staff).events.map((e: { type: string }) => e.type)).toEqual([
      'OrderPlaced',
      'OrderPaid',
      'OrderRefunded',
    ]);
    const state = await handler(event('GET', `${path}/state`, scopes.staff, 'at=1'));
    expect(body(state)).toMatchObject({ version: 1, latest: 3, state: { status: 'placed' } });
    const projections = await handler(event('GET', '/_console/api/projections', scopes.staff));
    expect(body(projections).projections.length).toBeGreaterThan(0);

    const customer = await handler(event('GET', path, scopes.customer));
    expect(customer.statusCode).toBe(403);
    expect(body(customer).detail).toContain(scopes.staff);
    const anonymous = await handler(event('GET', path));
    expect(anonymous.statusCode).toBe(401);
    // A redrive is the API's too: refused to a customer before it touches a queue.
    const redrive = await handler(
      event('POST', '/_console/api/queues/events/redrive', scopes.customer),
    );
    expect(redrive.statusCode).toBe(403);
    // No write meter on AWS: the chart's endpoint says so.
    const metrics = await handler(event('GET', '/_console/api/metrics', scopes.staff));
    expect(metrics.statusCode).toBe(503);
  });

  it('refuses everyone when the system declares no operators, saying what to declare', async () => {
    const { operators: _, ...undeclared } = system;
    const handler = createOperatorHandler({ system: undeclared, env, dynamo, sqs });
    const answer = await handler(event('GET', '/_console/api/overview', scopes.staff));
    expect(answer.statusCode).toBe(403);
    expect(body(answer).detail).toMatch(/declares no `operators`/);
  });

  it('peeks at a real dead letter and redrives it to be consumed', async () => {
    const handler = createOperatorHandler({ system, env, dynamo, sqs });
    await sendPoison(app, 'operator-handler-poison');
    const peek = () =>
      handler(event('GET', '/_console/api/queues/events/dead-letters', scopes.staff));
    const held = await waitFor(async () => {
      const messages = body(await peek()).messages as { body: string }[];
      return messages.length > 0 ? messages : undefined;
    }, 60);
    expect(held.map((m) => m.body)).toEqual(['{"not":"an event"}']);
    const redriven = await handler(
      event('POST', '/_console/api/queues/events/redrive', scopes.staff),
    );
    expect(redriven.statusCode).toBe(200);
    expect(body(redriven)).toMatchObject({ messages: 1 });
    // Back in the source queue, failed again by the consumer: dead-lettered once more.
    await waitFor(
      async () => ((body(await peek()).messages as unknown[]).length > 0 ? true : undefined),
      60,
    );
  });

  it('serves its page and scripts, and nothing else from the disk', async () => {
    const handler = createOperatorHandler({ system, env, dynamo, sqs });
    const page = await handler(event('GET', '/_console/'));
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<html');
    const script = await handler(event('GET', '/_console/api.js'));
    expect(script.headers?.['content-type']).toMatch(/^text\/javascript/);
    expect((await handler(event('GET', '/_console'))).statusCode).toBe(301);
    for (const path of [
      '/_console/../package.json',
      '/_console/%2e%2e/package.json',
      '/_console/nope.js',
    ]) {
      expect((await handler(event('GET', path))).statusCode, path).toBe(404);
    }
    expect((await handler(event('POST', '/_console/index.html'))).statusCode).toBe(404);
  });

  it('answers an unavailable DynamoDB 503, and any other failure 500 naming the request only', async () => {
    const { runtime } = app;
    const failing = clientFor(
      proxy.endpoint,
      runtime.environment.AWS_ACCESS_KEY_ID,
      runtime.environment.AWS_REGION,
    );
    const logged: unknown[] = [];
    const handler = createOperatorHandler({
      system,
      env,
      dynamo: failing,
      // SQS where nothing listens: a failure that is no store's.
      sqs: sqsClientFor('http://127.0.0.1:9'),
      logError: (_message, error) => logged.push(error),
    });
    const stop = proxy.inject({ operation: 'Query', fault: 'unavailable' });
    try {
      const path = `/_console/api/streams/Order/${orderId}`;
      const unavailable = await handler(event('GET', path, scopes.staff));
      expect(unavailable.statusCode).toBe(503);
      expect(body(unavailable)).toMatchObject({ error: 'unavailable' });
      const failed = await handler(event('GET', '/_console/api/queues', scopes.staff));
      expect(failed.statusCode).toBe(500);
      expect(body(failed)).toEqual({ error: 'failed', detail: 'Internal error (request r-1)' });
      expect(JSON.stringify(logged)).toMatch(/ECONNREFUSED|connect/);
    } finally {
      stop();
      failing.destroy();
    }
  });
});
