/** The fault proxy fails requests the way DynamoDB and SQS do, and cuts answers after applying. */
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { clientFor, type SqsEmulator, sqsClientFor, startSqsEmulator } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './faultProxy.ts';
import { dynamoEndpoint } from './localStack.ts';

describe('fault proxy', () => {
  let dynamo: FaultProxy;
  let sqs: FaultProxy;
  let emulator: SqsEmulator;
  const key = `faults${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    dynamo = await startFaultProxy(dynamoEndpoint());
    emulator = await startSqsEmulator();
    sqs = await startFaultProxy(emulator.endpoint);
    await clientFor(dynamo.endpoint, key).send(
      new CreateTableCommand({
        TableName: 'ttt',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  });
  afterAll(async () => {
    await dynamo.close();
    await sqs.close();
    await emulator.stop();
  });

  it('throttles: the SDK retries, then gives up with the throttling error; nothing is written', async () => {
    const client = clientFor(dynamo.endpoint, key);
    const off = dynamo.inject({ operation: 'PutItem', resource: 'ttt', fault: 'throttle' });
    const calls = await dynamo.during(async () => {
      await expect(
        client.send(new PutItemCommand({ TableName: 'ttt', Item: { pk: { S: 'a' } } })),
      ).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    });
    off();
    expect(calls.length).toBeGreaterThan(1);
    const read = await client.send(
      new GetItemCommand({ TableName: 'ttt', Key: { pk: { S: 'a' } }, ConsistentRead: true }),
    );
    expect(read.Item).toBeUndefined();
  });

  it('loses the answer after the write was applied', async () => {
    const client = clientFor(dynamo.endpoint, key);
    const off = dynamo.inject({ operation: 'PutItem', fault: 'lost-answer', times: 1 });
    await client
      .send(
        new PutItemCommand({
          TableName: 'ttt',
          Item: { pk: { S: 'b' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: unknown) => error);
    off();
    // The SDK's own retry of the applied write meets the condition: the write had landed.
    expect(
      dynamo.calls.filter((c) => c.operation === 'PutItem' && c.fault === 'lost-answer'),
    ).toHaveLength(1);
    const read = await client.send(
      new GetItemCommand({ TableName: 'ttt', Key: { pk: { S: 'b' } }, ConsistentRead: true }),
    );
    expect(read.Item?.pk?.S).toBe('b');
  });

  it('fails SQS sends per queue, with a retryable error, and lets the others through', async () => {
    const client = sqsClientFor(sqs.endpoint);
    const down = await client.send(new CreateQueueCommand({ QueueName: 'down' }));
    const up = await client.send(new CreateQueueCommand({ QueueName: 'up' }));
    const off = sqs.inject({ operation: 'SendMessage', resource: 'down', fault: 'unavailable' });
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: down.QueueUrl, MessageBody: 'x' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    await client.send(new SendMessageCommand({ QueueUrl: up.QueueUrl, MessageBody: 'x' }));
    off();
    await client.send(new SendMessageCommand({ QueueUrl: down.QueueUrl, MessageBody: 'x' }));
  });
});
