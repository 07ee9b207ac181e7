/**
 * `coffee-es redrive [queue ...]` (also `coffee-es dlq redrive`): moves the messages of each
 * queue's dead-letter queue back to the queue (all declared queues when none is named). Uses SQS
 * move tasks where SQS offers them, by hand otherwise (the local emulator). Ctrl-C or SIGTERM
 * stops after the message being moved.
 */
import { redriveQueue } from '../ops/queues.ts';
import type { AppModule } from './appModule.ts';
import { sqsClientOf } from './endpoints.ts';
import { output } from './ops/output.ts';
import { targetEndpoints, targetHelp } from './ops/target.ts';
import { interruptible, messageOf, parseQueueArgs, type QueueArgs } from './queues/args.ts';

export const redriveHelp = `Usage: coffee-es redrive [--system <module>] [queue ...] [--json]
       (the same as coffee-es dlq redrive)

Moves the messages of each named queue's dead-letter queue back to the queue (every declared
queue when none is named). Ctrl-C or SIGTERM stops after the message being moved; run it again
to move the rest.

${targetHelp}`;

export async function redrive(
  app: AppModule,
  root: string,
  args: string[],
  command = 'redrive',
): Promise<number> {
  const declared = Object.keys(app.system.queues);
  let parsed: QueueArgs;
  try {
    parsed = parseQueueArgs(args);
    const unknown = parsed.positionals.filter((n) => !declared.includes(n));
    if (unknown.length > 0) throw new Error(`Unknown queue: ${unknown.join(', ')}`);
  } catch (error) {
    console.error(`Usage: coffee-es ${command} [${declared.join('|')}] ...`);
    console.error(messageOf(error));
    return 2;
  }
  const out = output(parsed.json);
  const { signal, release } = interruptible();
  try {
    const endpoints = await targetEndpoints(app.system, root, parsed.target);
    const client = sqsClientOf(endpoints);
    const results = [];
    for (const name of parsed.positionals.length > 0 ? parsed.positionals : declared) {
      if (signal.aborted) break;
      const sourceUrl = endpoints.queues[name];
      if (!sourceUrl) throw new Error(`No URL for queue ${name} (set its *_QUEUE_URL)`);
      const { method, messages } = await redriveQueue(client, sourceUrl, { signal });
      results.push({ queue: name, method, messages });
      if (parsed.json) continue;
      console.log(
        method === 'move-task'
          ? `${name}: a move task is moving about ${messages} message(s) back`
          : `${name}: moved ${messages} message(s) back`,
      );
    }
    if (signal.aborted) out.note('Interrupted: run it again to move the rest.');
    if (parsed.json) out.result({ redriven: results, interrupted: signal.aborted }, () => '');
    client.destroy();
    return signal.aborted ? 1 : 0;
  } catch (error) {
    console.error(`Redrive failed: ${messageOf(error)}`);
    return 1;
  } finally {
    release();
  }
}
