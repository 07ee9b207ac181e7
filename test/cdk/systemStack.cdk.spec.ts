/**
 * The stack built from the system declaration, asserted on the synthesized template's
 * properties: data, functions and their permissions (event-source mappings and queues:
 * consumers.cdk.spec.ts). Logical
 * ids are never written here; they are looked up from the constructs.
 */

import { type FunctionAccess, routeGroupEnvVar } from '@coffee-es/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import {
  actionsOf,
  functionId,
  queueId,
  referencedIds,
  resourcesOf,
  type Synthesized,
  statementsOf,
  synthesize,
  tableId,
} from './synthesize.ts';

let dev: Synthesized;
beforeAll(() => {
  dev = synthesize(system);
});

const functionsDeclared = () => [
  ...Object.entries(system.routeGroups).map(([name, d]) => ({
    name,
    kind: 'route group',
    access: d,
  })),
  ...Object.entries(system.streamConsumers).map(([name, d]) => ({
    name,
    kind: 'stream consumer',
    access: d,
  })),
  ...Object.entries(system.queueConsumers).map(([name, d]) => ({
    name,
    kind: 'queue consumer',
    access: d,
  })),
  // The deployed operator console: it reads every table and peeks at and redrives every queue
  // (their URLs come in one JSON variable, operatorConsole.cdk.spec.ts).
  {
    name: 'operators',
    kind: 'operator console',
    access: {
      reads: Object.keys(system.tables) as (keyof typeof system.tables)[],
      consumes: Object.keys(system.queues) as (keyof typeof system.queues)[],
    } as FunctionAccess<keyof typeof system.tables, keyof typeof system.queues>,
    queueUrlsInJson: true,
  },
];

describe('data', () => {
  it('keeps the journal: stream of new images, point-in-time recovery, deletion protection, retained', () => {
    const journal = dev.json.Resources[tableId(dev, 'journal')];
    expect(journal?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(journal?.DeletionPolicy).toBe('Retain');
    expect(journal?.UpdateReplacePolicy).toBe('Retain');
  });

  it('builds every declared table from its spec: keys, indexes, stream, TTL', () => {
    expect(resourcesOf(dev.json, 'AWS::DynamoDB::Table')).toHaveLength(
      Object.keys(system.tables).length,
    );
    for (const [name, spec] of Object.entries(system.tables)) {
      const table = dev.json.Resources[tableId(dev, name)]?.Properties;
      expect(table.KeySchema).toEqual([
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect(
        (table.GlobalSecondaryIndexes ?? []).map((i: { IndexName: string }) => i.IndexName),
      ).toEqual((spec.indexes ?? []).map((i) => i.name));
      expect(table.StreamSpecification?.StreamViewType).toBe(spec.stream);
      expect(table.TimeToLiveSpecification?.AttributeName).toBe(spec.timeToLiveAttribute);
      expect(table.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(
        spec.critical === true,
      );
    }
  });

  it('lets a table that is not critical go with the stack', () => {
    const readModels = dev.json.Resources[tableId(dev, 'readModels')];
    expect(readModels?.DeletionPolicy).toBe('Delete');
    expect(readModels?.Properties.DeletionProtectionEnabled).toBe(false);
  });
});

describe('functions', () => {
  it('creates one function per route group and per consumer, arm64, Node.js 24, traced', () => {
    const declared = functionsDeclared();
    expect(resourcesOf(dev.json, 'AWS::Lambda::Function')).toHaveLength(declared.length);
    for (const { name, kind } of declared) {
      const fn = dev.json.Resources[functionId(dev.json, `coffee ${kind} ${name}`)]?.Properties;
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: { POWERTOOLS_SERVICE_NAME: system.service, LOG_LEVEL: 'INFO' },
        },
      });
    }
  });

  it('tells each route-group function which group it serves', () => {
    for (const name of Object.keys(system.routeGroups)) {
      const fn = dev.json.Resources[functionId(dev.json, `coffee route group ${name}`)];
      expect(fn?.Properties.Environment.Variables[routeGroupEnvVar]).toBe(name);
    }
  });

  it('gives each function the environment variables of what it declares, and no others', () => {
    const envVars = new Set([
      ...Object.values(system.tables).map((t) => t.envVar),
      ...Object.values(system.queues).map((q) => q.envVar),
    ]);
    for (const { name, kind, access, ...more } of functionsDeclared()) {
      const variables = dev.json.Resources[functionId(dev.json, `coffee ${kind} ${name}`)]
        ?.Properties.Environment.Variables as Record<string, unknown>;
      const queues =
        'queueUrlsInJson' in more ? [] : [...(access.sendsTo ?? []), ...(access.consumes ?? [])];
      const expected = new Set([
        ...[...(access.reads ?? []), ...(access.writes ?? [])].map((t) => system.tables[t].envVar),
        ...queues.map((q) => system.queues[q].envVar),
      ]);
      expect(new Set(Object.keys(variables).filter((v) => envVars.has(v)))).toEqual(expected);
    }
  });
});

describe('permissions', () => {
  it('lets each function reach only the tables and queues it declares', () => {
    for (const { name, kind, access } of functionsDeclared()) {
      const fnId = functionId(dev.json, `coffee ${kind} ${name}`);
      const reached = new Set(
        statementsOf(dev.json, fnId).flatMap((s) => [...referencedIds(s.Resource)]),
      );
      const dataIds = new Set([
        ...Object.keys(system.tables).map((t) => tableId(dev, t)),
        ...Object.keys(system.queues).map((q) => queueId(dev, q)),
      ]);
      const expected = new Set([
        ...[...(access.reads ?? []), ...(access.writes ?? [])].map((t) => tableId(dev, t)),
        ...[...(access.sendsTo ?? []), ...(access.consumes ?? [])].map((q) => queueId(dev, q)),
        // The event source's own needs: its stream, or its queue.
        ...('table' in access ? [tableId(dev, access.table as string)] : []),
        ...('queue' in access ? [queueId(dev, access.queue as string)] : []),
      ]);
      expect(new Set([...reached].filter((id) => dataIds.has(id))), name).toEqual(expected);
    }
  });

  it('reads a stream through its stream ARN only; table reads only where declared, never writes', () => {
    const streamActions = [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
    ];
    // A consumer that declares reads of its own table (the projector fills gaps from the journal)
    // gets the requests it declares on those items, and no Scan.
    const readActions = (consumer: (typeof system.streamConsumers)[string]) =>
      (consumer.items?.[consumer.table] ?? []).flatMap((i) =>
        i.requests.map((r) => `dynamodb:${r}`),
      );
    for (const [name, consumer] of Object.entries(system.streamConsumers)) {
      const fnId = functionId(dev.json, `coffee stream consumer ${name}`);
      const onSource = statementsOf(dev.json, fnId).filter((s) =>
        referencedIds(s.Resource).has(tableId(dev, consumer.table)),
      );
      const readsSource = (consumer.reads ?? []).includes(consumer.table);
      const writesSource = (consumer.writes ?? []).includes(consumer.table);
      expect(writesSource, name).toBe(false);
      expect([...new Set(onSource.flatMap(actionsOf))].sort(), name).toEqual(
        [...new Set([...streamActions, ...(readsSource ? readActions(consumer) : [])])].sort(),
      );
    }
    expect(system.streamConsumers.projector?.reads).toContain('journal');
    const projector = system.streamConsumers.projector;
    if (projector)
      expect(readActions(projector).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('gives a function that only reads no write action', () => {
    for (const { name, kind, access } of functionsDeclared()) {
      if ((access.writes ?? []).length > 0) continue;
      const actions = statementsOf(
        dev.json,
        functionId(dev.json, `coffee ${kind} ${name}`),
      ).flatMap(actionsOf);
      for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        expect(actions, name).not.toContain(write);
      }
    }
  });
});
