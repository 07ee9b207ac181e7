/**
 * `coffee-es dlq peek <queue> [--max n]`: the dead letters of a declared queue, left where they
 * are; `coffee-es dlq redrive [queue ...]`: moves them back (as `coffee-es redrive`).
 */
import type { PeekedMessage } from '../../ops/queueMessages.ts';
import { peekDeadLetters } from '../../ops/queues.ts';
import type { AppModule } from '../appModule.ts';
import { sqsClientOf } from '../endpoints.ts';
import { output } from '../ops/output.ts';
import { targetEndpoints, targetHelp } from '../ops/target.ts';
import { redrive } from '../redrive.ts';
import { messageOf, oneOf, parseQueueArgs, type QueueArgs } from './args.ts';

export const dlqHelp = `Usage:
  coffee-es dlq peek <queue> [--max n] [--json]   the queue's dead letters, left in place
  coffee-es dlq redrive [queue ...] [--json]      move them back to the queue (all queues
                                                  when none is named)

peek shows each message's id, body, message attributes, receive count (the receives before this
peek) and the time it was first sent, at most --max (default 100). Of a FIFO queue it sees the
oldest message of each message group. It takes nothing: run it twice, see the same.

${targetHelp}`;

export async function dlq(app: AppModule, root: string, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'redrive') return redrive(app, root, rest, 'dlq redrive');
  const declared = Object.keys(app.system.queues);
  let parsed: QueueArgs;
  let queue: string;
  try {
    if (sub !== 'peek') throw new Error(sub ? `Unknown dlq command: ${sub}` : 'No dlq command');
    parsed = parseQueueArgs(rest, { max: true });
    queue = oneOf(parsed.positionals, declared, 'queue');
  } catch (error) {
    console.error(`${messageOf(error)}\n\n${dlqHelp}`);
    return 2;
  }
  const out = output(parsed.json);
  try {
    const endpoints = await targetEndpoints(app.system, root, parsed.target);
    const sourceUrl = endpoints.queues[queue];
    if (!sourceUrl) throw new Error(`The target names no URL for queue ${queue}`);
    const client = sqsClientOf(endpoints);
    const messages = await peekDeadLetters(client, sourceUrl, {
      ...(parsed.max === undefined ? {} : { max: parsed.max }),
      ...(endpoints.deadLetters?.[queue] ? { deadLetterUrl: endpoints.deadLetters[queue] } : {}),
    }).finally(() => client.destroy());
    out.result({ queue, messages }, () => describe(queue, messages));
    return 0;
  } catch (error) {
    out.note(`dlq peek failed: ${messageOf(error)}`);
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
