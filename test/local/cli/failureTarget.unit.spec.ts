/**
 * A deployed stack names each stream consumer's failure queue in an output
 * (`<Consumer>FailureQueueUrl`), which `failures list|redrive --region --stack` reads; a stack
 * deployed before that output existed still answers for everything else.
 */
import { endpointsFromStackOutputs } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

const system = {
  tables: { journal: {} },
  queues: { events: {} },
  streamConsumers: { projector: {}, relay: {} },
} as unknown as Parameters<typeof endpointsFromStackOutputs>[0];

const stack = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'Coffee',
      CreationTime: new Date(0),
      StackStatus: 'UPDATE_COMPLETE' as const,
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
        OutputKey,
        OutputValue,
      })),
    },
  ],
});
const base = {
  JournalTableName: 'Coffee-Journal-1X',
  EventsQueueUrl: 'https://sqs/1/Coffee-Events.fifo',
  EventsDeadLetterQueueUrl: 'https://sqs/1/Coffee-EventsDlq.fifo',
};

describe('the failure queues of a deployed stack', () => {
  it("maps each consumer's <Consumer>FailureQueueUrl output, by consumer", () => {
    const endpoints = endpointsFromStackOutputs(
      system,
      'eu-west-1',
      'Coffee',
      stack({
        ...base,
        ProjectorFailureQueueUrl: 'https://sqs/1/Coffee-ProjectorFailures',
        RelayFailureQueueUrl: 'https://sqs/1/Coffee-RelayFailures',
      }),
    );
    expect(endpoints.failures).toEqual({
      projector: 'https://sqs/1/Coffee-ProjectorFailures',
      relay: 'https://sqs/1/Coffee-RelayFailures',
    });
  });

  it('names none for a stack without those outputs, and still answers the rest', () => {
    const endpoints = endpointsFromStackOutputs(system, 'eu-west-1', 'Coffee', stack(base));
    expect(endpoints.failures).toBeUndefined();
    expect(endpoints.queues).toEqual({ events: 'https://sqs/1/Coffee-Events.fifo' });
  });
});
