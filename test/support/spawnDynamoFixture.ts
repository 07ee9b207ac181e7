/** Fixture process: starts DynamoDB Local, prints its java pid, then waits to be killed. */
import { startDynamoDbLocal } from '@coffee-es/local';

const dynamo = await startDynamoDbLocal();
process.stdout.write(`${JSON.stringify({ pid: dynamo.pid })}\n`);
setInterval(() => {}, 1000);
