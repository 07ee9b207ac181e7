/**
 * What each deployed role may do, read from the synthesized template: only the requests each
 * function declares, each DynamoDB statement of a route group limited by `dynamodb:LeadingKeys`
 * to its own entities' items, nothing that deletes or scans for a function the internet
 * reaches (logs, the journal's deletion guard and wildcards: everyRole.cdk.spec.ts).
 */

import type { RouteGroupDeclaration } from '@coffee-es/aws-lambda';
import { projectionStatusKey } from '@coffee-es/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import { readSide } from '../../functions/projections/index.ts';
import {
  actionsOf,
  functionId,
  referencedIds,
  type Statement,
  type Synthesized,
  statementsOf,
  synthesize,
  tableId,
} from './synthesize.ts';

/** Keyed requests once kept records under this prefix; no role may still reach them. */
const legacyIdempotencyPrefix = 'Idem#';
const operator = 'arn:aws:iam::123456789012:role/JournalRepair';
const prodContext = {
  stage: 'prod',
  jwtIssuer: 'https://issuer.example.com/',
  jwtAudience: 'coffee-api',
  journalOperators: operator,
};

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthesize(system);
  prod = synthesize(system, prodContext);
});

const groupFunction = (s: Synthesized, name: string) =>
  functionId(s.json, `${system.service} route group ${name}`);
/** Item-level statements: DynamoDB actions on a table itself (streams and ListStreams aside). */
const itemStatements = (s: Synthesized, fnId: string, table?: string) =>
  statementsOf(s.json, fnId).filter((st) => {
    if (!actionsOf(st).some((a) => a.startsWith('dynamodb:'))) return false;
    if ([st.Resource].flat().includes('*')) return false;
    const ids = referencedIds(st.Resource);
    const tables = Object.keys(system.tables).map((t) => tableId(s, t));
    const onTable =
      tables.some((id) => ids.has(id)) && !JSON.stringify(st.Resource).includes('StreamArn');
    return onTable && (table === undefined || ids.has(tableId(s, table)));
  });
const leadingKeys = (st: Statement) =>
  (st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []) as string[];

describe('route groups (reachable from the internet)', () => {
  it('have no DeleteItem, BatchWriteItem, Scan or PartiQL on any table, on any stage', () => {
    const refused = /^dynamodb:(DeleteItem|BatchWriteItem|Scan|PartiQL\w*|\*)$/;
    for (const s of [dev, prod]) {
      for (const name of Object.keys(system.routeGroups)) {
        for (const action of statementsOf(s.json, groupFunction(s, name)).flatMap(actionsOf)) {
          expect(action, `${name}: ${action}`).not.toMatch(refused);
        }
      }
    }
  });

  it('carry a dynamodb:LeadingKeys condition on every DynamoDB statement of a table', () => {
    for (const name of Object.keys(system.routeGroups)) {
      const statements = itemStatements(prod, groupFunction(prod, name));
      const declared = Object.keys(system.routeGroups[name]?.items ?? {});
      if (declared.length > 0) expect(statements.length, name).toBeGreaterThan(0);
      for (const st of statements) {
        const keys = leadingKeys(st);
        expect(keys.length, `${name} ${actionsOf(st)}`).toBeGreaterThan(0);
        // A pattern must name a kind of item: `*` alone (or a bare `#*`) would be the whole table.
        for (const key of keys) expect(key, name).toMatch(/^[A-Za-z]+(#\*)?$/);
      }
    }
  });

  it('reach only their own entities: orders write Order#, read Branch# and Customer#', () => {
    const journal = (name: string) =>
      itemStatements(prod, groupFunction(prod, name), 'journal').map((st) => ({
        actions: actionsOf(st).sort(),
        keys: leadingKeys(st),
      }));
    expect(journal('orders')).toEqual(
      expect.arrayContaining([
        { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], keys: ['Order#*'] },
        { actions: ['dynamodb:GetItem', 'dynamodb:Query'], keys: ['Branch#*', 'Customer#*'] },
      ]),
    );
    const writesOf = (name: string) =>
      journal(name)
        .filter((st) => st.actions.includes('dynamodb:PutItem'))
        .flatMap((st) => st.keys)
        .sort();
    expect(writesOf('branches')).toEqual(['Branch#*']);
    expect(writesOf('customers')).toEqual(['Customer#*']);
    expect(writesOf('orders')).toEqual(['Order#*']);
    expect(writesOf('slots')).toEqual(['Slot#*']);
    expect(writesOf('reports')).toEqual([]);
    expect(journal('operations')).toEqual([]);
  });

  it('reach no idempotency records: keyed requests keep theirs in the entity stream', () => {
    // Records of older versions expire through TTL, which needs no role.
    for (const s of [dev, prod]) {
      for (const name of Object.keys(system.routeGroups)) {
        const keys = itemStatements(s, groupFunction(s, name)).flatMap(leadingKeys);
        expect(keys.join(' '), name).not.toContain(legacyIdempotencyPrefix);
      }
    }
    expect(system.routes.some((r) => r.idempotent)).toBe(true);
  });

  it('read read models only in their own partitions', () => {
    const readModels = (name: string) =>
      itemStatements(prod, groupFunction(prod, name), 'readModels').map((st) => ({
        actions: actionsOf(st),
        keys: leadingKeys(st),
      }));
    expect(readModels('customers')).toEqual([
      { actions: ['dynamodb:Query'], keys: ['CustomerOrders#*'] },
    ]);
    expect(readModels('slots')).toEqual([{ actions: ['dynamodb:Query'], keys: ['Slots#*'] }]);
    expect(readModels('reports')).toEqual([{ actions: ['dynamodb:Query'], keys: ['Sales#*'] }]);
    expect(readModels('operations')).toEqual([
      { actions: ['dynamodb:Query'], keys: ['Projection'] },
    ]);
  });

  it('cannot be deployed with a request that deletes, or without declared items', () => {
    const orders = system.routeGroups.orders as RouteGroupDeclaration<string, string>;
    const deleting = {
      ...system,
      routeGroups: {
        ...system.routeGroups,
        orders: {
          ...orders,
          items: { journal: [{ keys: ['Order#*'], requests: ['DeleteItem' as const] }] },
        },
      },
    };
    expect(() => synthesize(deleting)).toThrow(/DeleteItem on journal is refused/);
    const undeclared = {
      ...system,
      routeGroups: { ...system.routeGroups, orders: { ...orders, items: {} } },
    };
    expect(() => synthesize(undeclared)).toThrow(/declare the items of journal/);
  });
});

describe('consumers', () => {
  it('get only their declared requests: the projector writes read models, loyalty customers', () => {
    const projector = functionId(prod.json, `${system.service} stream consumer projector`);
    const [onReadModels, ...others] = itemStatements(prod, projector, 'readModels');
    expect(others).toEqual([]);
    expect(actionsOf(onReadModels as Statement).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    // Every projection the projector runs writes (documents, counters, markers) under its prefix.
    expect(leadingKeys(onReadModels as Statement).sort()).toEqual(
      [...readSide.projections.map((p) => `${p.keyPrefix}*`), projectionStatusKey].sort(),
    );
    const loyalty = functionId(prod.json, `${system.service} queue consumer loyalty`);
    expect(
      itemStatements(prod, loyalty, 'journal').map((st) => ({
        actions: actionsOf(st).sort(),
        keys: leadingKeys(st),
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          keys: ['Customer#*'],
        },
        { actions: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem'], keys: ['Claim#*'] },
      ]),
    );
    expect(itemStatements(prod, loyalty, 'journal')).toHaveLength(2);
  });
});
