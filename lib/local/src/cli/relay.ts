/**
 * `coffee-es relay <command>`: re-relays events out of the journal to the events queue, against
 * the running `coffee-es start` (DATA_DIR/runtime.json) or the system named in the environment
 * (JOURNAL_TABLE, EVENTS_QUEUE_URL, RELAY_FAILURES_QUEUE_URL). Duplicates are harmless: the
 * messages carry the relay's deduplication ids, and the consumers are idempotent.
 */
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type ReplayResult,
  redriveFailures,
  replayJournal,
  replayStream,
} from '@coffee-es/aws-lambda';
import { DynamoJournal } from '@coffee-es/dynamodb';
import { localFailureQueueName } from '../systemQueues.ts';
import type { AppModule } from './appModule.ts';
import { dynamoClientOf, type Endpoints, findEndpoints, sqsClientOf } from './endpoints.ts';
import { parseRelayArgs } from './relayArgs.ts';

export const relayHelp = `Usage:
  coffee-es relay [--system <module>] replay --from <ISO time|position> [--stream <streamId>]
  coffee-es relay [--system <module>] failures

  replay --from <time|position> [--stream <id>]   events recorded from that time (ISO 8601), or
                                                  from that position of one stream
  failures                                        what the relay's failure queue names`;

async function failureQueueUrl(
  service: string,
  endpoints: Endpoints,
  sqs: SQSClient,
): Promise<string> {
  const fromEnv = process.env.RELAY_FAILURES_QUEUE_URL;
  if (fromEnv) return fromEnv;
  if (endpoints.source !== 'local') {
    throw new Error("RELAY_FAILURES_QUEUE_URL is needed (the stack's relay failure queue)");
  }
  const name = localFailureQueueName(service, 'relay');
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!out.QueueUrl) throw new Error(`No queue ${name}`);
  return out.QueueUrl;
}

const summary = (r: ReplayResult) =>
  `${r.events} event(s) of ${r.commits} commit(s) sent` +
  (r.unreadable.length + r.unsendable.length > 0
    ? `; not sent: ${[
        ...r.unreadable.map((u) => `${u.where} (${u.reason})`),
        ...r.unsendable.map((u) => `${u.eventId} (${u.reason})`),
      ].join('; ')}`
    : '');

export async function relay(app: AppModule, root: string, args: string[]): Promise<number> {
  const command = parseRelayArgs(args);
  if (typeof command === 'string') {
    console.error(`${command}\n${relayHelp}`);
    return 2;
  }
  try {
    const endpoints = await findEndpoints(root);
    const journalTable = endpoints.tables.journal;
    const queueUrl = endpoints.queues.events;
    if (!journalTable || !queueUrl)
      throw new Error('JOURNAL_TABLE and EVENTS_QUEUE_URL are needed');
    const dynamo = dynamoClientOf(endpoints);
    const sqs = sqsClientOf(endpoints);
    const journal = new DynamoJournal({ client: dynamo, tableName: journalTable });
    const target = {
      client: sqs,
      queueUrl,
      schemas: app.eventSchemas ?? app.system.readSide?.eventSchemas ?? {},
    };
    let incomplete = false;
    if (command.kind === 'failures') {
      const done = await redriveFailures({
        journal,
        target,
        failureQueueUrl: await failureQueueUrl(app.system.service, endpoints, sqs),
      });
      console.log(
        `Failure queue: ${done.redriven} of ${done.notices} notice(s) re-driven; ${summary(done.replay)}`,
      );
      for (const kept of done.kept) console.log(`  kept ${kept}`);
      incomplete = done.kept.length > 0;
    } else {
      const { from, streamId } = command;
      const range = 'time' in from ? { fromTime: from.time } : { fromPosition: from.position };
      const result = streamId
        ? await replayStream(journal, target, streamId, range)
        : await replayJournal(journal, target, range, {
            onProgress: (r) => process.stderr.write(`\r${r.events} events sent   `),
          });
      if (!streamId) process.stderr.write('\n');
      console.log(`Replayed ${streamId ?? 'every stream'}: ${summary(result)}`);
      incomplete = result.unreadable.length + result.unsendable.length > 0;
    }
    dynamo.destroy();
    sqs.destroy();
    return incomplete ? 1 : 0;
  } catch (error) {
    console.error(
      `Relay command failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}
