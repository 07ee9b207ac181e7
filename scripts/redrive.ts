/**
 * `npm run redrive -- [queue ...]`: moves the messages of each queue's dead-letter queue back to
 * the queue (all declared queues when none is named). Uses SQS move tasks where SQS offers them,
 * by hand otherwise (the local emulator).
 */

// Local tools run on the machine's Node 20; the functions run on the nodejs24.x Lambda runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { redriveDeadLetters } from '@coffee-es/aws-lambda';
import { system } from '../functions/app/system.ts';
import { findEndpoints, sqsClientOf } from './localEndpoints.ts';

const declared = Object.keys(system.queues);
const names = process.argv.slice(2);
const unknown = names.filter((n) => !declared.includes(n));
if (unknown.length > 0) {
  console.error(`Usage: npm run redrive -- [${declared.join('|')}] ...`);
  console.error(`Unknown queue: ${unknown.join(', ')}`);
  process.exit(2);
}

try {
  const endpoints = await findEndpoints();
  const client = sqsClientOf(endpoints);
  for (const name of names.length > 0 ? names : declared) {
    const sourceUrl = endpoints.queues[name];
    if (!sourceUrl) throw new Error(`No URL for queue ${name} (set its *_QUEUE_URL)`);
    const { method, messages } = await redriveDeadLetters({ client, sourceUrl });
    console.log(
      method === 'move-task'
        ? `${name}: a move task is moving about ${messages} message(s) back`
        : `${name}: moved ${messages} message(s) back`,
    );
  }
  client.destroy();
} catch (error) {
  console.error(`Redrive failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
