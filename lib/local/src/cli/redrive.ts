/**
 * `coffee-es redrive [queue ...]` (also `coffee-es dlq redrive`): moves the messages of each
 * queue's dead-letter queue back to the queue (all declared queues when none is named). Uses SQS
 * move tasks where SQS offers them, by hand otherwise (the local emulator). Ctrl-C or SIGTERM
 * stops after the message being moved.
 */

import { redriveQueue } from '../ops/queues.ts';
import type { AppModule } from './appModule.ts';
import { findEndpoints, sqsClientOf } from './endpoints.ts';
import { interruptible, messageOf, takeQueueFlags } from './queues/args.ts';

export const redriveHelp = `Usage: coffee-es redrive [--system <module>] [queue ...] [--json]
       (the same as coffee-es dlq redrive)

Moves the messages of each named queue's dead-letter queue back to the queue (every declared
queue when none is named), against the running \`coffee-es start\` or the queues named in the
environment (<QUEUE>_QUEUE_URL). Ctrl-C or SIGTERM stops after the message being moved; run it
again to move the rest.`;

export async function redrive(
  app: AppModule,
  root: string,
  args: string[],
  command = 'redrive',
): Promise<number> {
  const declared = Object.keys(app.system.queues);
  const flags = takeQueueFlags(args);
  const unknown = typeof flags === 'string' ? [] : flags.rest.filter((n) => !declared.includes(n));
  if (typeof flags === 'string' || unknown.length > 0) {
    console.error(`Usage: coffee-es ${command} [${declared.join('|')}] ...`);
    console.error(typeof flags === 'string' ? flags : `Unknown queue: ${unknown.join(', ')}`);
    return 2;
  }
  const { signal, release } = interruptible();
  try {
    const endpoints = await findEndpoints(root);
    const client = sqsClientOf(endpoints);
    const results = [];
    for (const name of flags.rest.length > 0 ? flags.rest : declared) {
      if (signal.aborted) break;
      const sourceUrl = endpoints.queues[name];
      if (!sourceUrl) throw new Error(`No URL for queue ${name} (set its *_QUEUE_URL)`);
      const { method, messages } = await redriveQueue(client, sourceUrl, { signal });
      results.push({ queue: name, method, messages });
      if (flags.json) continue;
      console.log(
        method === 'move-task'
          ? `${name}: a move task is moving about ${messages} message(s) back`
          : `${name}: moved ${messages} message(s) back`,
      );
    }
    if (flags.json) console.log(JSON.stringify({ redriven: results, interrupted: signal.aborted }));
    client.destroy();
    return signal.aborted ? 1 : 0;
  } catch (error) {
    console.error(`Redrive failed: ${messageOf(error)}`);
    return 1;
  } finally {
    release();
  }
}
