/**
 * The deployed operator console (`operatorApi` of the declaration): one function behind the
 * HTTP API under `/_console/`, its API routes for the declared `operators` only, its page and
 * scripts public; it reads every table and writes none, and reaches the queues only to count,
 * peek and redrive.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import {
  actionsOf,
  type CfnResource,
  functionId,
  prodContext,
  queueId,
  referencedIds,
  resourcesOf,
  type Statement,
  type Synthesized,
  statementsOf,
  synthesize,
  tableId,
} from './synthesize.ts';

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthesize(system);
  prod = synthesize(system, prodContext);
});

const consoleFunction = (s: Synthesized) => functionId(s.json, 'coffee operator console operators');
const routesOf = (s: Synthesized) =>
  new Map(
    resourcesOf(s.json, 'AWS::ApiGatewayV2::Route')
      .filter(([, r]) => String(r.Properties.RouteKey).includes('/_console'))
      .map(([, r]) => [r.Properties.RouteKey as string, r] as const),
  );
const on = (statements: Statement[], id: string) =>
  statements.filter((s) => referencedIds(s.Resource).has(id));
const actions = (statements: Statement[]) => [...new Set(statements.flatMap(actionsOf))].sort();

describe('the operator console on prod', () => {
  it('answers its API under /_console/api/ for the operators scopes only, its files for anyone', () => {
    const routes = routesOf(prod);
    expect([...routes.keys()].sort()).toEqual([
      'GET /_console',
      'GET /_console/api/{proxy+}',
      'GET /_console/{proxy+}',
      'POST /_console/api/{proxy+}',
    ]);
    const operators = system.operators;
    expect(operators?.kind).toBe('token');
    for (const key of ['GET /_console/api/{proxy+}', 'POST /_console/api/{proxy+}']) {
      expect(routes.get(key)?.Properties, key).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizationScopes: operators?.kind === 'token' ? [...operators.scopes] : [],
      });
    }
    for (const key of ['GET /_console', 'GET /_console/{proxy+}']) {
      expect(routes.get(key)?.Properties.AuthorizationType ?? 'NONE', key).toBe('NONE');
    }
    // Every one of them goes to the console's function.
    for (const [key, route] of routes) {
      const integrationId = [...referencedIds(route.Properties.Target)][0] as string;
      const integration = prod.json.Resources[integrationId] as CfnResource;
      expect(referencedIds(integration.Properties.IntegrationUri), key).toEqual(
        new Set([consoleFunction(prod)]),
      );
    }
  });

  it('refuses a call without a verified token in the function too (REQUIRE_TOKEN), on prod only', () => {
    const variables = (s: Synthesized) =>
      s.json.Resources[consoleFunction(s)]?.Properties.Environment.Variables;
    expect(variables(prod).REQUIRE_TOKEN).toBe('true');
    expect(variables(dev).REQUIRE_TOKEN).toBeUndefined();
  });
});

describe("the operator console's function", () => {
  it('gets every table by its declared variable and every queue URL in OPERATOR_QUEUE_URLS', () => {
    const variables = dev.json.Resources[consoleFunction(dev)]?.Properties.Environment.Variables;
    for (const table of Object.values(system.tables)) expect(variables[table.envVar]).toBeDefined();
    const urls = JSON.stringify(variables.OPERATOR_QUEUE_URLS);
    for (const part of ['queues', 'deadLetters', 'failures']) expect(urls).toContain(part);
    for (const name of Object.keys(system.queues)) {
      expect(referencedIds(variables.OPERATOR_QUEUE_URLS)).toContain(queueId(dev, name));
      expect(referencedIds(variables.OPERATOR_QUEUE_URLS)).toContain(
        queueId(dev, name, 'deadLetterQueue'),
      );
    }
    expect(Object.keys(system.streamConsumers).length).toBeGreaterThan(0);
    for (const consumer of Object.keys(system.streamConsumers)) expect(urls).toContain(consumer);
  });

  it('reads every table with GetItem and Query (its indexes by name), and writes none', () => {
    const statements = statementsOf(dev.json, consoleFunction(dev));
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(actions(dynamo)).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    for (const [name, table] of Object.entries(system.tables)) {
      expect(actions(on(dynamo, tableId(dev, name))), name).toEqual([
        'dynamodb:GetItem',
        'dynamodb:Query',
      ]);
      const indexes = JSON.stringify(on(dynamo, tableId(dev, name)).map((s) => s.Resource));
      for (const index of table.indexes ?? []) expect(indexes).toContain(`/index/${index.name}`);
      expect(indexes).not.toContain('/index/*');
    }
  });

  it('counts, peeks at and redrives the queues, and sends only back to their source', () => {
    const statements = statementsOf(dev.json, consoleFunction(dev));
    for (const name of Object.keys(system.queues)) {
      const source = on(statements, queueId(dev, name));
      expect(actions(source), name).toEqual(['sqs:GetQueueAttributes', 'sqs:SendMessage']);
      const deadLetters = actions(on(statements, queueId(dev, name, 'deadLetterQueue')));
      expect(deadLetters, name).toEqual([
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ListMessageMoveTasks',
        'sqs:ReceiveMessage',
        'sqs:StartMessageMoveTask',
      ]);
    }
    // Nothing on "*" but what has no resource-level permissions (tracing).
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      expect(actionsOf(statement).every((a) => a.startsWith('xray:'))).toBe(true);
    }
  });
});

describe('declaring it', () => {
  it('deploys no console without operatorApi', () => {
    const { operatorApi: _, ...without } = system;
    const synthesized = synthesize(without);
    expect(() => consoleFunction(synthesized)).toThrow(/0 functions/);
    expect(routesOf(synthesized).size).toBe(0);
  });

  it('refuses operatorApi without operators, naming what to declare', () => {
    const { operators: _, ...without } = system;
    expect(() => synthesize(without)).toThrow(/operatorApi is declared without operators/);
  });
});
