/**
 * `coffee-es redrive [queue ...]`: moves the messages of each queue's dead-letter queue back to
 * the queue (all declared queues when none is named). Uses SQS move tasks where SQS offers them,
 * by hand otherwise (the local emulator).
 */
import { redriveDeadLetters } from '@coffee-es/aws-lambda';
import type { AppModule } from './appModule.ts';
import { findEndpoints, sqsClientOf } from './endpoints.ts';

export const redriveHelp = `Usage: coffee-es redrive [--system <module>] [queue ...]

Moves the messages of each named queue's dead-letter queue back to the queue (every declared
queue when none is named), against the running \`coffee-es start\` or the queues named in the
environment (<QUEUE>_QUEUE_URL).`;

export async function redrive(app: AppModule, root: string, names: string[]): Promise<number> {
  const declared = Object.keys(app.system.queues);
  const unknown = names.filter((n) => !declared.includes(n));
  if (unknown.length > 0) {
    console.error(`Usage: coffee-es redrive [${declared.join('|')}] ...`);
    console.error(`Unknown queue: ${unknown.join(', ')}`);
    return 2;
  }
  try {
    const endpoints = await findEndpoints(root);
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
    return 0;
  } catch (error) {
    console.error(`Redrive failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
