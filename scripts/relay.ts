/**
 * `npm run relay -- <command>`: re-relays events out of the journal to the events queue, against
 * the running `npm start` (DATA_DIR/runtime.json) or the system named in the environment
 * (JOURNAL_TABLE, EVENTS_QUEUE_URL, RELAY_FAILURES_QUEUE_URL).
 *
 *   replay --from <time|position> [--stream <id>]   events recorded from that time (ISO 8601), or
 *                                                   from that position of one stream
 *   failures                                        what the relay's failure queue names
 *
 * Duplicates are harmless: the messages carry the relay's deduplication ids, and the consumers
 * are idempotent.
 */

// Local tools run on the machine's Node 20; the functions run on the nodejs24.x Lambda runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type ReplayResult,
  redriveFailures,
  replayJournal,
  replayStream,
} from '@coffee-es/aws-lambda';
import { DynamoJournal } from '@coffee-es/dynamodb';
import { localFailureQueueName } from '@coffee-es/local';
import { system } from '../functions/app/system.ts';
import { eventSchemas } from '../functions/projections/index.ts';
import { dynamoClientOf, type Endpoints, findEndpoints, sqsClientOf } from './localEndpoints.ts';

const usage = `Usage:
  npm run relay -- replay --from <ISO time|position> [--stream <streamId>]
  npm run relay -- failures`;

type Command =
  | { kind: 'replay'; from: { time: Date } | { position: number }; streamId?: string }
  | { kind: 'failures' };

function parse(args: readonly string[]): Command | string {
  const [command, ...rest] = args;
  if (command === 'failures') {
    return rest.length === 0 ? { kind: 'failures' } : 'failures takes no arguments';
  }
  if (command !== 'replay') return command ? `Unknown command: ${command}` : 'No command given';
  const flags = parseFlags(rest);
  if (typeof flags === 'string') return flags;
  const from = flags.get('--from');
  if (from === undefined) return 'replay needs --from';
  return parseFrom(from, flags.get('--stream'));
}

function parseFlags(rest: readonly string[]): Map<string, string> | string {
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [name, value] = [rest[i], rest[i + 1]];
    if (name !== '--from' && name !== '--stream') return `Unknown option: ${name}`;
    if (value === undefined || value.startsWith('--')) return `${name} needs a value`;
    flags.set(name, value);
  }
  return flags;
}

function parseFrom(from: string, streamId: string | undefined): Command | string {
  if (/^\d+$/.test(from)) {
    const position = Number(from);
    if (position < 1) return '--from: positions start at 1';
    if (streamId === undefined) return '--from <position> needs --stream <streamId>';
    return { kind: 'replay', from: { position }, streamId };
  }
  const time = Date.parse(from);
  if (!/^\d{4}-\d\d-\d\d/.test(from) || Number.isNaN(time)) {
    return `--from: "${from}" is neither a position nor an ISO 8601 time`;
  }
  return { kind: 'replay', from: { time: new Date(time) }, ...(streamId ? { streamId } : {}) };
}

async function failureQueueUrl(endpoints: Endpoints, sqs: SQSClient): Promise<string> {
  const fromEnv = process.env.RELAY_FAILURES_QUEUE_URL;
  if (fromEnv) return fromEnv;
  if (endpoints.source !== 'npm start') {
    throw new Error("RELAY_FAILURES_QUEUE_URL is needed (the stack's relay failure queue)");
  }
  const name = localFailureQueueName(system.service, 'relay');
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

const command = parse(process.argv.slice(2));
if (typeof command === 'string') {
  console.error(`${command}\n${usage}`);
  process.exit(2);
}

try {
  const endpoints = await findEndpoints();
  const journalTable = endpoints.tables.journal;
  const queueUrl = endpoints.queues.events;
  if (!journalTable || !queueUrl) throw new Error('JOURNAL_TABLE and EVENTS_QUEUE_URL are needed');
  const dynamo = dynamoClientOf(endpoints);
  const sqs = sqsClientOf(endpoints);
  const journal = new DynamoJournal({ client: dynamo, tableName: journalTable });
  const target = { client: sqs, queueUrl, schemas: eventSchemas };
  let incomplete = false;
  if (command.kind === 'failures') {
    const done = await redriveFailures({
      journal,
      target,
      failureQueueUrl: await failureQueueUrl(endpoints, sqs),
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
  process.exitCode = incomplete ? 1 : 0;
} catch (error) {
  console.error(`Relay command failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
