/**
 * `coffee-es dlq peek <queue> [--max n]`: the dead letters of a declared queue, left where they
 * are; `coffee-es dlq redrive [queue ...]`: moves them back (as `coffee-es redrive`).
 */
import type { PeekedMessage } from '../../ops/queueMessages.ts';
import { peekDeadLetters } from '../../ops/queues.ts';
import type { AppModule } from '../appModule.ts';
import { findEndpoints, sqsClientOf } from '../endpoints.ts';
import { redrive } from '../redrive.ts';
import { messageOf, takeQueueFlags } from './args.ts';

export const dlqHelp = `Usage:
  coffee-es dlq peek <queue> [--max n] [--json]   the queue's dead letters, left in place
  coffee-es dlq redrive [queue ...] [--json]      move them back to the queue (all queues
                                                  when none is named)

peek shows each message's id, body, message attributes, receive count (the receives before this
peek) and the time it was first sent, at most --max (default 100). Of a FIFO queue it sees the
oldest message of each message group. It takes nothing: run it twice, see the same.
Against the running \`coffee-es start\` or the queues named in the environment.`;

export async function dlq(app: AppModule, root: string, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'redrive') return redrive(app, root, rest, 'dlq redrive');
  const declared = Object.keys(app.system.queues);
  const usage = `Usage: coffee-es dlq peek <${declared.join('|')}> [--max n] [--json]`;
  if (sub !== 'peek') {
    console.error(`${sub ? `Unknown dlq command: ${sub}` : 'No dlq command given'}\n${dlqHelp}`);
    return 2;
  }
  const flags = takeQueueFlags(rest, { max: true });
  if (typeof flags === 'string') {
    console.error(`${flags}\n${usage}`);
    return 2;
  }
  const [queue, ...extra] = flags.rest;
  if (queue === undefined || !declared.includes(queue) || extra.length > 0) {
    const problem =
      queue === undefined
        ? 'Which queue?'
        : extra.length > 0
          ? `One queue at a time (not ${extra.join(' ')})`
          : `Unknown queue: ${queue}`;
    console.error(`${problem}; declared queues: ${declared.join(', ') || 'none'}\n${usage}`);
    return 2;
  }
  try {
    const endpoints = await findEndpoints(root);
    const sourceUrl = endpoints.queues[queue];
    if (!sourceUrl) throw new Error(`No URL for queue ${queue} (set its *_QUEUE_URL)`);
    const client = sqsClientOf(endpoints);
    const messages = await peekDeadLetters(client, sourceUrl, {
      ...(flags.max === undefined ? {} : { max: flags.max }),
    }).finally(() => client.destroy());
    console.log(flags.json ? JSON.stringify({ queue, messages }) : describe(queue, messages));
    return 0;
  } catch (error) {
    console.error(`dlq peek failed: ${messageOf(error)}`);
    return 1;
  }
}

function describe(queue: string, messages: readonly PeekedMessage[]): string {
  const lines = [`${queue}: ${messages.length} dead letter(s) seen`];
  for (const m of messages) {
    lines.push(
      `\n${m.messageId}  sent ${m.sentAt}  received ${m.receiveCount} time(s)` +
        (m.groupId ? `  group ${m.groupId}` : ''),
    );
    for (const [name, value] of Object.entries(m.attributes)) lines.push(`  ${name}: ${value}`);
    lines.push(`  ${m.body}`);
  }
  return lines.join('\n');
}
