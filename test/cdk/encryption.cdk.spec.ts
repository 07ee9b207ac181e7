/**
 * Data at rest and what a dev stage may cost: prod encrypts tables and queues with keys of its
 * own (rotated), dev with AWS-managed KMS keys; dev tables have on-demand ceilings; every
 * function maps stack traces through its source maps.
 */

import { devTableCaps } from '@coffee-es/cdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import {
  prodContext,
  referencedIds,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synthesize.ts';

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthesize(system);
  prod = synthesize(system, prodContext);
});

const tables = (s: Synthesized) => resourcesOf(s.json, 'AWS::DynamoDB::Table').map(([, t]) => t);
const queues = (s: Synthesized) => resourcesOf(s.json, 'AWS::SQS::Queue').map(([, q]) => q);
/** The stack's KMS key a value references, with rotation on. */
const rotatedKeyOf = (s: Synthesized, ref: unknown) => {
  const ids = [...referencedIds(ref)];
  expect(ids).toHaveLength(1);
  const key = s.json.Resources[ids[0] as string];
  expect(key?.Type).toBe('AWS::KMS::Key');
  expect(key?.Properties.EnableKeyRotation).toBe(true);
  expect(key?.DeletionPolicy).toBe('Retain');
  return ids[0] as string;
};

describe('prod', () => {
  it('encrypts every table with a customer-managed KMS key of its own, rotated', () => {
    const keys = tables(prod).map((t) => {
      expect(t.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      return rotatedKeyOf(prod, t.Properties.SSESpecification.KMSMasterKeyId);
    });
    expect(new Set(keys).size).toBe(Object.keys(system.tables).length);
  });

  it('encrypts every queue (events, dead letters, stream failures) with the queues key', () => {
    expect(queues(prod).length).toBeGreaterThanOrEqual(4);
    const keys = new Set(queues(prod).map((q) => rotatedKeyOf(prod, q.Properties.KmsMasterKeyId)));
    expect(keys.size).toBe(1);
    expect(queues(prod).every((q) => q.Properties.SqsManagedSseEnabled === undefined)).toBe(true);
  });

  it('lets the functions use the keys for what they do with the data, and nothing more', () => {
    for (const [, policy] of resourcesOf(prod.json, 'AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement as { Action: string[] }[]) {
        for (const action of [st.Action].flat().filter((a) => a.startsWith('kms:'))) {
          expect([
            'kms:Decrypt',
            'kms:DescribeKey',
            'kms:Encrypt',
            'kms:GenerateDataKey',
          ]).toContain(action);
        }
      }
    }
  });

  it('puts no ceiling on table throughput unless asked', () => {
    for (const t of tables(prod)) expect(t.Properties.OnDemandThroughput).toBeUndefined();
    const capped = synthesize(system, { ...prodContext, maxWriteRequestUnits: '400' });
    for (const t of tables(capped)) {
      expect(t.Properties.OnDemandThroughput).toEqual({ MaxWriteRequestUnits: 400 });
    }
  });
});

describe('dev', () => {
  it('encrypts tables and queues with the AWS-managed KMS keys', () => {
    for (const t of tables(dev)) {
      expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    }
    for (const q of queues(dev)) expect(q.Properties.KmsMasterKeyId).toBe('alias/aws/sqs');
    expect(resourcesOf(dev.json, 'AWS::KMS::Key')).toHaveLength(0);
  });

  it('caps every table and index at on-demand ceilings, which context can change', () => {
    const caps = {
      MaxReadRequestUnits: devTableCaps.maxReadRequestUnits,
      MaxWriteRequestUnits: devTableCaps.maxWriteRequestUnits,
    };
    for (const t of tables(dev)) {
      expect(t.Properties.OnDemandThroughput).toEqual(caps);
      for (const index of t.Properties.GlobalSecondaryIndexes ?? []) {
        expect(index.OnDemandThroughput).toEqual(caps);
      }
    }
    const bigger = synthesize(system, { maxReadRequestUnits: 1000 });
    for (const t of tables(bigger)) {
      expect(t.Properties.OnDemandThroughput.MaxReadRequestUnits).toBe(1000);
    }
  });
});

describe('functions', () => {
  it('all run with NODE_OPTIONS=--enable-source-maps', () => {
    for (const s of [dev, prod]) {
      for (const [, fn] of resourcesOf(s.json, 'AWS::Lambda::Function')) {
        expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      }
    }
  });
});
