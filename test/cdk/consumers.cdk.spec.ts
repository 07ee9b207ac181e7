/**
 * The consumers of the stack built from the system declaration, asserted on the synthesized
 * template: stream event-source mappings (bisect, retries, record age, partial failures, failure
 * destinations, filters) and the FIFO queues with their consumers. Logical ids are looked up
 * from the constructs.
 */

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

describe('stream consumers', () => {
  it('maps each declared consumer with bisect, its retries and record age, partial failures, a failure destination and its filter', () => {
    const mappings = resourcesOf(dev.json, 'AWS::Lambda::EventSourceMapping');
    for (const [name, consumer] of Object.entries(system.streamConsumers)) {
      const fnId = functionId(dev.json, `coffee stream consumer ${name}`);
      const mine = mappings.filter(([, m]) => referencedIds(m.Properties.FunctionName).has(fnId));
      expect(mine).toHaveLength(1);
      const mapping = mine[0]?.[1].Properties;
      expect(mapping).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [tableId(dev, consumer.table), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        BisectBatchOnFunctionError: consumer.bisectBatchOnFunctionError,
        MaximumRetryAttempts: consumer.maximumRetryAttempts,
        MaximumRecordAgeInSeconds: consumer.maximumRecordAgeSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const destination = [...referencedIds(mapping.DestinationConfig.OnFailure.Destination)][0];
      expect(dev.json.Resources[destination as string]?.Type).toBe('AWS::SQS::Queue');
      const filter = consumer.filter;
      if (!filter) throw new Error(`${name} declares no filter`);
      expect(
        mapping.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern)),
      ).toEqual([{ dynamodb: { NewImage: { [filter.attribute]: { S: [...filter.equals] } } } }]);
    }
  });
  it('retries the relay without limit but the record age, and lets it set aside what can never be sent', () => {
    const relay = system.streamConsumers.relay;
    if (!relay) throw new Error('No relay declared');
    expect(relay.maximumRetryAttempts).toBe(-1);
    expect(relay.filter?.equals).toEqual(['commit', 'state']);
    const fnId = functionId(dev.json, 'coffee stream consumer relay');
    const mapping = resourcesOf(dev.json, 'AWS::Lambda::EventSourceMapping').find(([, m]) =>
      referencedIds(m.Properties.FunctionName).has(fnId),
    )?.[1].Properties;
    expect(mapping.MaximumRetryAttempts).toBe(-1);
    const failures = [...referencedIds(mapping.DestinationConfig.OnFailure.Destination)][0];
    // Its own notices go to the mapping's failure destination: its URL, and sending to it only.
    const variables = dev.json.Resources[fnId]?.Properties.Environment.Variables;
    expect([...referencedIds(variables[relay.failureQueueEnvVar as string])]).toEqual([failures]);
    const onFailures = statementsOf(dev.json, fnId).filter((s) =>
      referencedIds(s.Resource).has(failures as string),
    );
    expect(onFailures.flatMap(actionsOf)).toContain('sqs:SendMessage');
    expect(onFailures.flatMap(actionsOf)).not.toContain('sqs:ReceiveMessage');
    // The projector sets nothing aside itself: no such variable.
    const projectorId = functionId(dev.json, 'coffee stream consumer projector');
    expect(
      dev.json.Resources[projectorId]?.Properties.Environment.Variables[
        relay.failureQueueEnvVar as string
      ],
    ).toBeUndefined();
  });
});

describe('queues', () => {
  it('declares each queue FIFO with a FIFO dead-letter queue and a bounded receive count', () => {
    for (const [name, queue] of Object.entries(system.queues)) {
      const main = dev.json.Resources[queueId(dev, name)]?.Properties;
      const dead = dev.json.Resources[queueId(dev, name, 'deadLetterQueue')]?.Properties;
      expect(main.FifoQueue).toBe(queue.fifo ? true : undefined);
      expect(dead.FifoQueue).toBe(queue.fifo ? true : undefined);
      expect(main.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId(dev, name, 'deadLetterQueue'), 'Arn'] },
        maxReceiveCount: queue.maxReceiveCount,
      });
      expect(main.VisibilityTimeout).toBe(queue.visibilityTimeoutSeconds);
      expect(dead.RedriveAllowPolicy).toBeDefined();
      expect(main.RedriveAllowPolicy).toBeUndefined();
    }
  });

  it('maps each queue consumer with partial failures and a concurrency cap; visibility ≥ 6 timeouts', () => {
    for (const [name, consumer] of Object.entries(system.queueConsumers)) {
      const fnId = functionId(dev.json, `coffee queue consumer ${name}`);
      dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnId },
        EventSourceArn: { 'Fn::GetAtt': [queueId(dev, consumer.queue), 'Arn'] },
        BatchSize: consumer.batchSize,
        ScalingConfig: { MaximumConcurrency: consumer.maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const timeout = dev.json.Resources[fnId]?.Properties.Timeout as number;
      const visibility = dev.json.Resources[queueId(dev, consumer.queue)]?.Properties
        .VisibilityTimeout as number;
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('refuses a queue whose visibility timeout is under six consumer timeouts', () => {
    const tooShort = {
      ...system,
      queues: { events: { ...system.queues.events, visibilityTimeoutSeconds: 60 } },
    };
    expect(() => synthesize(tooShort)).toThrow(/visibility timeout/);
  });
});
