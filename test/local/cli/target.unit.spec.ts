/**
 * The operator commands' target: `--region --stack` taken from the arguments, and a stack's
 * `DescribeStacks` answer turned into the system's tables and queues (no AWS reached: the answer
 * is given, shaped as CloudFormation answers).
 */
import { endpointsFromStackOutputs, takeTargetFlags, targetEndpoints } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

const system = {
  tables: { journal: {}, readModels: {} },
  queues: { events: {} },
} as unknown as Parameters<typeof endpointsFromStackOutputs>[0];

const output = (OutputKey: string, OutputValue: string, Description = '') => ({
  OutputKey,
  OutputValue,
  Description,
});
const answer = (outputs: ReturnType<typeof output>[]) => ({
  Stacks: [
    {
      StackName: 'Coffee',
      CreationTime: new Date(0),
      StackStatus: 'UPDATE_COMPLETE' as const,
      Outputs: outputs,
    },
  ],
});
const complete = [
  output('ApiUrl', 'https://abc.execute-api.eu-west-1.amazonaws.com/'),
  output('JournalTableName', 'Coffee-Journal-1X'),
  output('ReadModelsTableName', 'Coffee-ReadModels-2Y'),
  output('EventsQueueUrl', 'https://sqs.eu-west-1.amazonaws.com/1/Coffee-Events.fifo'),
  output('EventsDeadLetterQueueUrl', 'https://sqs.eu-west-1.amazonaws.com/1/Coffee-EventsDlq.fifo'),
];

describe('takeTargetFlags', () => {
  it('is the local system without flags, and leaves the arguments as they are', () => {
    expect(takeTargetFlags(['Order', 'o-1', '--from', '2'])).toEqual({
      target: { kind: 'local' },
      rest: ['Order', 'o-1', '--from', '2'],
    });
  });

  it('takes --region and --stack anywhere, with a space or =', () => {
    expect(takeTargetFlags(['--region', 'eu-west-1', 'Order', '--stack=Coffee', 'o-1'])).toEqual({
      target: { kind: 'stack', region: 'eu-west-1', stack: 'Coffee' },
      rest: ['Order', 'o-1'],
    });
  });

  it('refuses one without the other, and a flag without its value', () => {
    expect(() => takeTargetFlags(['--stack', 'Coffee'])).toThrow(
      '--region and --stack go together',
    );
    expect(() => takeTargetFlags(['--region', 'eu-west-1'])).toThrow('go together');
    expect(() => takeTargetFlags(['--region'])).toThrow('--region needs a value');
    expect(() => takeTargetFlags(['--stack', '--json'])).toThrow('--stack needs a value');
  });
});

describe('endpointsFromStackOutputs', () => {
  it("maps each declared table's and queue's outputs, by logical name", () => {
    expect(endpointsFromStackOutputs(system, 'eu-west-1', 'Coffee', answer(complete))).toEqual({
      source: 'stack',
      region: 'eu-west-1',
      tables: { journal: 'Coffee-Journal-1X', readModels: 'Coffee-ReadModels-2Y' },
      queues: { events: 'https://sqs.eu-west-1.amazonaws.com/1/Coffee-Events.fifo' },
      deadLetters: { events: 'https://sqs.eu-west-1.amazonaws.com/1/Coffee-EventsDlq.fifo' },
    });
  });

  it('names the missing output and the outputs the stack has', () => {
    const withoutJournal = complete.filter((o) => o.OutputKey !== 'JournalTableName');
    expect(() =>
      endpointsFromStackOutputs(system, 'eu-west-1', 'Coffee', answer(withoutJournal)),
    ).toThrow(
      /Stack Coffee \(eu-west-1\) has no output JournalTableName.*Its outputs: ApiUrl, EventsDeadLetterQueueUrl, EventsQueueUrl, ReadModelsTableName$/,
    );
    const withoutDeadLetters = complete.filter((o) => o.OutputKey !== 'EventsDeadLetterQueueUrl');
    expect(() =>
      endpointsFromStackOutputs(system, 'eu-west-1', 'Coffee', answer(withoutDeadLetters)),
    ).toThrow('has no output EventsDeadLetterQueueUrl');
  });

  it('names logical names of several words as the CDK stack does (read-models → ReadModels)', () => {
    const dashed = { tables: { 'read-models': {} }, queues: {} } as unknown as typeof system;
    const only = [output('ReadModelsTableName', 'T')];
    expect(endpointsFromStackOutputs(dashed, 'r', 'S', answer(only)).tables).toEqual({
      'read-models': 'T',
    });
  });

  it('says so when the answer holds no stack', () => {
    expect(() => endpointsFromStackOutputs(system, 'eu-west-1', 'Nope', { Stacks: [] })).toThrow(
      'No stack Nope in eu-west-1',
    );
  });
});

describe('targetEndpoints', () => {
  it("asks for the stack's outputs in the given region", async () => {
    const asked: string[] = [];
    const endpoints = await targetEndpoints(
      system,
      '/nowhere',
      { kind: 'stack', region: 'eu-west-1', stack: 'Coffee' },
      async (region, stack) => {
        asked.push(`${region}/${stack}`);
        return answer(complete);
      },
    );
    expect(asked).toEqual(['eu-west-1/Coffee']);
    expect(endpoints.tables.journal).toBe('Coffee-Journal-1X');
  });
});
