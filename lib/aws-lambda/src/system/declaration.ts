/**
 * One declaration of a system: tables, HTTP routes, stream consumers, queues and queue consumers.
 * The local runtime (`npm start`, the tests) and the CDK stack are both built from it, so nothing
 * is configured twice.
 */
import type { ReadSide } from '@coffee-es/core';
import type { ItemAccess, TableSpec } from '@coffee-es/dynamodb';
import type { Route, RouteAccess } from '../http/route.ts';

/** Where a Lambda function's code is: a module and the name of its exported handler. */
export interface FunctionCode {
  /** Path from the project root, e.g. `functions/handlers/http.ts`. */
  readonly entry: string;
  /** The exported handler's name. Default `handler`. */
  readonly handler?: string;
  readonly memoryMb?: number;
  /**
   * Files (relative to the project root) shipped beside the bundle, under their own names: data a
   * function reads at run time from `new URL('./<name>', import.meta.url)` rather than bundles.
   */
  readonly files?: readonly string[];
  readonly timeoutSeconds?: number;
}

/** What a function may touch: tables read or written, queues sent to. Grants follow from this. */
export interface FunctionAccess<T extends string, Q extends string> {
  readonly reads?: readonly T[];
  readonly writes?: readonly T[];
  readonly sendsTo?: readonly Q[];
  /** Queues it may receive from and delete (a re-drive tool, say). */
  readonly consumes?: readonly Q[];
  /**
   * Per table read or written, the items it reaches and the requests it sends them. A route
   * group must declare them for every table it uses (the stack refuses it otherwise); a consumer
   * without them gets the table's usual read and write requests on every item.
   */
  readonly items?: Readonly<Partial<Record<T, readonly ItemAccess[]>>>;
}

/**
 * A table of the system: its shape, the environment variable carrying its name, and whether
 * it is critical (kept on stack deletion, point-in-time recovery, deletion protection).
 */
export interface TableDeclaration extends TableSpec {
  /** Environment variable that carries the table's name to the functions that use it. */
  readonly envVar: string;
  /** Keep on stack deletion, point-in-time recovery, deletion protection. */
  readonly critical?: boolean;
}

/** A queue of the system (with a dead-letter queue after `maxReceiveCount` receives). */
export interface QueueDeclaration {
  readonly envVar: string;
  readonly fifo: boolean;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
}

/** A route group is one Lambda function serving several routes. */
export interface RouteGroupDeclaration<T extends string, Q extends string>
  extends FunctionCode,
    FunctionAccess<T, Q> {}

/**
 * A function driven by a table's stream: its mapping (batch size, filters, retries) and failure queue.
 */
export interface StreamConsumerDeclaration<T extends string, Q extends string>
  extends FunctionCode,
    FunctionAccess<T, Q> {
  /** The table whose stream drives the function. */
  readonly table: T;
  readonly batchSize: number;
  /** Retries of a failing batch before it is set aside; -1: no limit but the record's age. */
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly parallelizationFactor?: number;
  /** Delivered only when the new image's attribute has one of these string values. */
  readonly filter?: { readonly attribute: string; readonly equals: readonly string[] };
  /**
   * For a consumer that sets records aside itself (the relay, for what can never be sent): the
   * failure queue's URL reaches it in this variable, with the right to send to that queue.
   */
  readonly failureQueueEnvVar?: string;
  /**
   * Hand set-aside records to the function again on this period, read back from the stream by
   * the sequence numbers of their failure notices, until it takes them (for an idempotent
   * consumer that heals from the journal, such as the projector). Run by the local workers.
   */
  readonly sweepFailuresEverySeconds?: number;
}

/** A function driven by a queue: its batch size and concurrency. */
export interface QueueConsumerDeclaration<T extends string, Q extends string>
  extends FunctionCode,
    FunctionAccess<T, Q> {
  readonly queue: Q;
  readonly batchSize: number;
  readonly maxConcurrency: number;
}

/**
 * The one declaration of a system: tables, queues, routes and their groups, stream and queue
 * consumers. The local runtime, the CDK stack and the OpenAPI document are all built from it.
 */
export interface SystemDeclaration<D, T extends string = string, Q extends string = string> {
  /** Service name: logs, metrics and resource names derive from it. */
  readonly service: string;
  readonly tables: Readonly<Record<T, TableDeclaration>>;
  readonly queues: Readonly<Record<Q, QueueDeclaration>>;
  readonly routes: readonly Route<D>[];
  /** Every `group` used by a route needs an entry here. */
  readonly routeGroups: Readonly<Record<string, RouteGroupDeclaration<T, Q>>>;
  /**
   * The group whose function answers requests no route matches, on API Gateway's `$default`
   * route (404 or 405, as the local server answers them). None: the gateway's own 404.
   */
  readonly defaultRouteGroup?: string;
  /**
   * Who may use the operator console's API (`/_console/api/`: streams, state, queues, redrive)
   * when tokens are verified. Undeclared: nobody, the API answers 403 saying to declare it.
   */
  readonly operators?: RouteAccess;
  /**
   * The module of the deployed operator console (it exports `createOperatorHandler({ system })`
   * of `@coffee-es/local/operator`): the stack deploys it behind the HTTP API under
   * `/_console/`, its API routes open to `operators` only. Undeclared: the console runs locally
   * only (`npm start`).
   */
  readonly operatorApi?: FunctionCode;
  readonly streamConsumers: Readonly<Record<string, StreamConsumerDeclaration<T, Q>>>;
  readonly queueConsumers: Readonly<Record<string, QueueConsumerDeclaration<T, Q>>>;
  /**
   * The entities whose events are read back and the read models kept from them
   * (`defineReadSide`): the relay, the projector, consumers and rebuilds read with its registry.
   */
  readonly readSide?: ReadSide;
  /** Origins allowed by CORS; empty means no CORS configuration. */
  readonly corsOrigins?: readonly string[];
}

/**
 * Environment variable naming the route group a function serves (set on each group's function):
 * for an app whose groups share one entry point, and for logs.
 */
export const routeGroupEnvVar = 'ROUTE_GROUP';

/**
 * Checks a declaration once: every route's group is declared, names are unique, every access
 * names a declared table or queue.
 *
 * @example
 * ```ts
 * export const system = defineSystem({ service: 'coffee', tables, queues, routes, ... });
 * ```
 */
export function defineSystem<D, T extends string, Q extends string>(
  system: SystemDeclaration<D, T, Q>,
): SystemDeclaration<D, T, Q> {
  const problems = [...routeProblems(system), ...accessProblems(system)];
  if (problems.length > 0) throw new TypeError(`Invalid system: ${problems.join('; ')}`);
  return system;
}

function routeProblems<D, T extends string, Q extends string>(
  system: SystemDeclaration<D, T, Q>,
): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  const operations = new Set<string>();
  for (const route of system.routes) {
    const key = `${route.method} ${route.path}`;
    if (keys.has(key)) problems.push(`route ${key} is declared twice`);
    if (operations.has(route.operationId)) problems.push(`operationId ${route.operationId} twice`);
    keys.add(key);
    operations.add(route.operationId);
    if (!system.routeGroups[route.group]) problems.push(`route ${key}: no group ${route.group}`);
  }
  const fallback = system.defaultRouteGroup;
  if (fallback !== undefined && !system.routeGroups[fallback]) {
    problems.push(`defaultRouteGroup: no group ${fallback}`);
  }
  return problems;
}

function accessProblems<D, T extends string, Q extends string>(
  system: SystemDeclaration<D, T, Q>,
): string[] {
  const problems: string[] = [];
  const functions: [string, FunctionAccess<T, Q>][] = [
    ...Object.entries<RouteGroupDeclaration<T, Q>>(system.routeGroups),
    ...Object.entries<StreamConsumerDeclaration<T, Q>>(system.streamConsumers),
    ...Object.entries<QueueConsumerDeclaration<T, Q>>(system.queueConsumers),
  ];
  for (const [name, access] of functions) problems.push(...functionProblems(system, name, access));
  return problems;
}

function functionProblems<D, T extends string, Q extends string>(
  system: SystemDeclaration<D, T, Q>,
  name: string,
  access: FunctionAccess<T, Q>,
): string[] {
  const problems: string[] = [];
  const tables: string[] = [...(access.reads ?? []), ...(access.writes ?? [])];
  const queues: string[] = [...(access.sendsTo ?? []), ...(access.consumes ?? [])];
  if ('table' in access && typeof access.table === 'string') {
    if (!system.tables[access.table as T]?.stream) problems.push(`${name}: table has no stream`);
  }
  if ('queue' in access && typeof access.queue === 'string') queues.push(access.queue);
  for (const table of tables) {
    if (!system.tables[table as T]) problems.push(`${name}: unknown table ${table}`);
  }
  for (const table of Object.keys(access.items ?? {})) {
    if (!tables.includes(table))
      problems.push(`${name}: items of ${table}, which it neither reads nor writes`);
  }
  for (const queue of queues) {
    if (!system.queues[queue as Q]) problems.push(`${name}: unknown queue ${queue}`);
  }
  return problems;
}

/** The routes one group serves (all routes when `group` is undefined, as locally). */
export function routesOfGroup<D>(
  system: Pick<SystemDeclaration<D>, 'routes'>,
  group: string | undefined,
): readonly Route<D>[] {
  return group === undefined ? system.routes : system.routes.filter((r) => r.group === group);
}

/**
 * Environment variable carrying the queues' URLs to the deployed operator console's function, as
 * JSON (`{ queues, deadLetters, failures }`, each by logical name): the stack sets it, the
 * console's handler reads it.
 */
export const operatorQueuesEnvVar = 'OPERATOR_QUEUE_URLS';
