/**
 * The deployed operator console's function (`operatorApi` of the declaration): what it may read
 * and do, and the routes it answers. It reads every table (GetItem and Query, indexes included:
 * streams, states, entities, projection positions) and writes none; it peeks at and redrives
 * dead letters (receive, change visibility, delete, a move task, or a send back to the source
 * queue), and reads every queue's depth. Its API routes need a scope of `operators`; its static
 * files are public (they hold no data).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type FunctionCode,
  operatorQueuesEnvVar,
  type Route,
  type RouteAccess,
  type SystemDeclaration,
} from '@coffee-es/aws-lambda';
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { grantSend, type SystemFunction } from './systemFunction.ts';
import type { SystemQueues } from './systemQueues.ts';
import type { SystemTables } from './systemTables.ts';

/** The group name its routes are served under (no declared route group may take it). */
export const operatorGroup = '_operators';

/**
 * The declared `operatorApi` with the console's files shipped beside its bundle (paths from
 * `root`), or undefined when none is declared. Throws on a declaration it cannot deploy.
 */
export function operatorConsoleCode(
  system: SystemDeclaration<never>,
  root: string,
  consoleFiles: string | undefined,
): FunctionCode | undefined {
  const code = system.operatorApi;
  if (!code) return undefined;
  if (!system.operators) {
    throw new Error('operatorApi is declared without operators: declare who may use it');
  }
  if (system.routeGroups[operatorGroup]) {
    throw new Error(`Route group ${operatorGroup} is the operator console's name`);
  }
  if (!consoleFiles) {
    throw new Error("operatorApi is declared: pass consoleFiles (from '@coffee-es/local')");
  }
  const files = readdirSync(consoleFiles).map((file) => relative(root, join(consoleFiles, file)));
  return { ...code, files: [...(code.files ?? []), ...files] };
}

/** The API under `/_console/api/` for `operators`; the page and its scripts under `/_console/`. */
export function operatorRoutes(
  operators: RouteAccess,
): Pick<Route, 'method' | 'path' | 'group' | 'access'>[] {
  const group = operatorGroup;
  const open = { kind: 'public' } as const;
  return [
    { method: 'GET', path: '/_console/api/{proxy+}', group, access: operators },
    { method: 'POST', path: '/_console/api/{proxy+}', group, access: operators },
    { method: 'GET', path: '/_console', group, access: open },
    { method: 'GET', path: '/_console/{proxy+}', group, access: open },
  ];
}

/**
 * Grants the operator function its reads and queue rights, and hands it the tables' names (their
 * declared variables) and the queues' URLs.
 */
export function bindOperatorAccess(
  fn: SystemFunction,
  system: SystemDeclaration<never>,
  tables: SystemTables,
  queues: SystemQueues,
  failureQueues: ReadonlyMap<string, IQueue>,
): void {
  for (const name of Object.keys(system.tables)) {
    const { table, declaration } = tables.get(name);
    fn.bindTable(declaration.envVar, table, {
      name,
      read: true,
      write: false,
      items: [{ keys: ['*'], requests: ['GetItem', 'Query'] }],
    });
    // The journal's streams by type (the entity list) are an index: each declared one, by name.
    const indexes = (declaration.indexes ?? []).map((i) => `${table.tableArn}/index/${i.name}`);
    if (indexes.length > 0) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes }),
      );
    }
  }
  const urls = {
    queues: {} as Record<string, string>,
    deadLetters: {} as Record<string, string>,
    failures: {} as Record<string, string>,
  };
  for (const [name, pair] of queues.entries()) {
    urls.queues[name] = pair.queue.queueUrl;
    urls.deadLetters[name] = pair.deadLetterQueue.queueUrl;
    // Depth and redrive policy of the source; a redrive by hand sends back to it.
    pair.queue.grant(fn.function, 'sqs:GetQueueAttributes');
    grantSend(fn.role, pair.queue, queues.key);
    // Peek (receive, shown again at once) and redrive: a move task, or receive and delete.
    pair.deadLetterQueue.grantConsumeMessages(fn.function);
    pair.deadLetterQueue.grant(
      fn.function,
      'sqs:StartMessageMoveTask',
      'sqs:ListMessageMoveTasks',
      'sqs:ChangeMessageVisibility',
    );
  }
  for (const [consumer, queue] of failureQueues) {
    urls.failures[consumer] = queue.queueUrl;
    queue.grant(fn.function, 'sqs:GetQueueAttributes');
  }
  fn.function.addEnvironment(operatorQueuesEnvVar, Stack.of(fn).toJsonString(urls));
}
