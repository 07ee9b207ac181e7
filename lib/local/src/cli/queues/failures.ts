/**
 * `coffee-es failures list <consumer>`: what a stream consumer set aside (its failure queue's
 * notices, with the stream ids, positions and reason); `failures redrive <consumer>`: the
 * consumer run again on the journal's items the notices name, each notice deleted once taken.
 */
import {
  type FailureNotice,
  type FailureQueue,
  listFailures,
  redriveFailures,
} from '../../ops/failures.ts';
import type { AppModule } from '../appModule.ts';
import { dynamoClientOf, type Endpoints, sqsClientOf } from '../endpoints.ts';
import { type Output, output } from '../ops/output.ts';
import { targetEndpoints, targetHelp } from '../ops/target.ts';
import { interruptible, messageOf, oneOf, parseQueueArgs, type QueueArgs } from './args.ts';
import {
  consumerFilter,
  consumerTable,
  failureQueueUrl,
  loadConsumerHandler,
  streamsClientOf,
} from './consumer.ts';

export const failuresHelp = `Usage:
  coffee-es failures list <consumer> [--max n] [--json]   what the stream consumer set aside
  coffee-es failures redrive <consumer> [--json]          run the consumer again on it, from
                                                          the journal

list shows each notice of the consumer's failure queue (its on-failure destination) with the
stream ids and positions it names, the reason and when it was sent, and leaves it there; once
the stream no longer holds a notice's records, it names the time window of their commits.
redrive reads those items from the journal, hands them to the consumer's own handler, and
deletes each notice the consumer took; a notice it still refuses stays, and is said why.
Ctrl-C or SIGTERM stops after the notice being redriven; run it again for the rest.

${targetHelp}
  A deployed consumer's failure queue: <CONSUMER>_FAILURES_QUEUE_URL in the environment.`;

export async function failures(app: AppModule, root: string, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let parsed: QueueArgs;
  let consumer: string;
  try {
    if (sub !== 'list' && sub !== 'redrive') {
      throw new Error(sub ? `Unknown failures command: ${sub}` : 'No failures command');
    }
    parsed = parseQueueArgs(rest, { max: sub === 'list' });
    consumer = oneOf(parsed.positionals, Object.keys(app.system.streamConsumers), 'consumer');
  } catch (error) {
    console.error(`${messageOf(error)}\n\n${failuresHelp}`);
    return 2;
  }
  const out = output(parsed.json);
  let endpoints: Endpoints;
  try {
    endpoints = await targetEndpoints(app.system, root, parsed.target);
  } catch (error) {
    out.note(`failures ${sub} failed: ${messageOf(error)}`);
    return 1;
  }
  const sqs = sqsClientOf(endpoints);
  const streams = streamsClientOf(endpoints);
  try {
    const queue: FailureQueue = {
      sqs,
      queueUrl: await failureQueueUrl(app.system, consumer, endpoints, sqs),
      streams,
      filter: consumerFilter(app.system, consumer),
    };
    if (sub === 'redrive') return await redrive(app, root, endpoints, consumer, queue, out);
    const notices = await listFailures(queue, parsed.max ? { max: parsed.max } : {});
    out.result({ consumer, notices }, () => describe(consumer, notices));
    return 0;
  } catch (error) {
    out.note(`failures ${sub} failed: ${messageOf(error)}`);
    return 1;
  } finally {
    sqs.destroy();
    streams.destroy();
  }
}

async function redrive(
  app: AppModule,
  root: string,
  endpoints: Endpoints,
  consumer: string,
  queue: FailureQueue,
  out: Output,
): Promise<number> {
  const dynamo = dynamoClientOf(endpoints);
  const { signal, release } = interruptible();
  try {
    const table = await consumerTable(app.system, consumer, endpoints, dynamo);
    const handler = await loadConsumerHandler(
      app.system,
      consumer,
      root,
      endpoints,
      queue.queueUrl,
    );
    const source = { dynamo, ...table, region: endpoints.region };
    const done = await redriveFailures(queue, source, handler as never, {
      signal,
      onNotice: (notice, problem) =>
        out.note(`${notice.messageId}: ${problem === undefined ? 'taken' : `kept (${problem})`}`),
    });
    out.result({ consumer, ...done }, () =>
      [
        `${consumer}: ${done.redriven.length} notice(s) redriven from the journal, ${done.kept.length} kept` +
          (done.interrupted ? ' (interrupted: run it again for the rest)' : ''),
        ...done.kept.map(({ notice, problem }) => `  kept ${notice.messageId}: ${problem}`),
        ...done.setAsideAgain.map(
          (n) => `  set aside again: ${n.messageId} (${n.reason}) ${named(n)}`,
        ),
      ].join('\n'),
    );
    const left = done.kept.length + done.setAsideAgain.length;
    return left > 0 || done.interrupted ? 1 : 0;
  } finally {
    release();
    dynamo.destroy();
  }
}

function describe(consumer: string, notices: readonly FailureNotice[]): string {
  const lines = [`${consumer}: ${notices.length} failure notice(s)`];
  for (const n of notices) {
    lines.push(
      `\n${n.messageId}  sent ${n.sentAt}  (${n.source})`,
      `  ${n.reason}`,
      `  ${named(n)}`,
    );
  }
  return lines.join('\n');
}

/** What a notice names, for people: `Order#o-1@2, Order#o-2@3-4`, or its time window. */
const named = (n: FailureNotice) =>
  n.window
    ? `the commits recorded ${n.window.from} .. ${n.window.to}`
    : n.items
        .map((i) => `${i.streamId}@${i.from === i.to ? i.from : `${i.from}-${i.to}`}`)
        .join(', ');
