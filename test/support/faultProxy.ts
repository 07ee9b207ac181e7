/**
 * A fault-injecting proxy in front of DynamoDB or SQS (AWS JSON protocol, both): every request on
 * the wire (SDK retries included) is recorded with its operation and resource, and rules switched
 * on and off during a test make matching requests fail the way the real services fail:
 *
 * - `throttle`: 400 with the service's throttling error, nothing applied;
 * - `unavailable`: 500/503, nothing applied;
 * - `lost-answer`: the request is applied upstream, then the connection is cut before the answer;
 * - `reset`: the connection is cut before the request reaches the service;
 * - `delay`: the request waits `delayMs`, then goes through (or is cut when `thenCut` is set).
 *
 * Point a client's endpoint (or `DYNAMODB_ENDPOINT` / `SQS_ENDPOINT` of `npm start`) at
 * `endpoint`; no hook in the code under test.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy(dynamoEndpoint());
 * const stop = proxy.inject({ operation: 'PutItem', fault: 'throttle', times: 3 });
 * // ... run commands, then:
 * stop();
 * await proxy.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  capacityOperations,
  cut,
  failureOf,
  forward,
  parseJson,
  readAll,
  resourceOf,
  type Service,
  targetOf,
} from './faultWire.ts';

export type Fault = 'throttle' | 'unavailable' | 'lost-answer' | 'reset' | 'delay';

export interface FaultRule {
  /** `PutItem`, `Query`, `SendMessageBatch`, …; a string matches exactly. Default: every one. */
  readonly operation?: string | RegExp;
  /** The table name (DynamoDB) or the queue name, the last segment of `QueueUrl` (SQS). */
  readonly resource?: string | RegExp;
  readonly fault: Fault;
  /** For `delay`. */
  readonly delayMs?: number;
  /** For `delay`: cut the connection after the delay instead of forwarding. */
  readonly thenCut?: boolean;
  /** Fraction of matching calls that fail (default 1), drawn from `random`. */
  readonly probability?: number;
  /** Only the first `times` matching calls fail (default: no limit). */
  readonly times?: number;
}

export interface ProxiedCall {
  readonly service: Service;
  readonly operation: string;
  readonly resource: string | undefined;
  readonly input: Readonly<Record<string, unknown>>;
  /** The status answered, or 0 when the connection was cut. */
  readonly status: number;
  readonly output: Readonly<Record<string, unknown>>;
  readonly fault: Fault | undefined;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly calls: readonly ProxiedCall[];
  /** The calls made while `work` ran. */
  during(work: () => Promise<unknown>): Promise<ProxiedCall[]>;
  /** Switches a rule on; the function returned switches it off. */
  inject(rule: FaultRule): () => void;
  /** Switches every rule off. */
  clear(): void;
  /** How many calls each rule has failed so far, in the order they were injected. */
  readonly injected: () => number;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  readonly random?: () => number;
  /**
   * Ask DynamoDB for `ReturnConsumedCapacity: TOTAL` on every request that does not, so that the
   * recorded outputs carry capacity units (benchmarks); the client ignores the extra field.
   */
  readonly measureCapacity?: boolean;
}

interface ActiveRule {
  readonly rule: FaultRule;
  hits: number;
}

export async function startFaultProxy(
  target: string,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = options.random ?? Math.random;
  const calls: ProxiedCall[] = [];
  let rules: ActiveRule[] = [];
  let injectedCount = 0;

  const pick = (operation: string, resource: string | undefined): FaultRule | undefined => {
    for (const active of rules) {
      const { rule } = active;
      if (!matches(rule.operation, operation) || !matches(rule.resource, resource)) continue;
      if (rule.times !== undefined && active.hits >= rule.times) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      active.hits++;
      injectedCount++;
      return rule;
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const { service, operation } = targetOf(req);
    const input = parseJson(body);
    const resource = resourceOf(input);
    const rule = pick(operation, resource);
    const record = (status: number, output: Record<string, unknown>) =>
      calls.push({ service, operation, resource, input, status, output, fault: rule?.fault });
    if (rule?.fault === 'delay') await sleep(rule.delayMs ?? 1000);
    if (rule?.fault === 'reset' || (rule?.fault === 'delay' && rule.thenCut)) {
      record(0, {});
      cut(res);
      return;
    }
    if (rule?.fault === 'throttle' || rule?.fault === 'unavailable') {
      const failure = failureOf(service, rule.fault);
      record(failure.status, failure.body);
      res.writeHead(failure.status, failure.headers);
      res.end(JSON.stringify(failure.body));
      return;
    }
    const sent =
      options.measureCapacity &&
      capacityOperations.has(operation) &&
      !('ReturnConsumedCapacity' in input)
        ? Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }))
        : body;
    const answer = await forward(upstream, req, sent);
    record(rule?.fault === 'lost-answer' ? 0 : answer.status, parseJson(answer.body));
    if (rule?.fault === 'lost-answer') {
      cut(res);
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    during: async (work) => {
      const before = calls.length;
      await work();
      return calls.slice(before);
    },
    inject: (rule) => {
      const active: ActiveRule = { rule, hits: 0 };
      rules = [...rules, active];
      return () => {
        rules = rules.filter((r) => r !== active);
      };
    },
    clear: () => {
      rules = [];
    },
    injected: () => injectedCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function matches(pattern: string | RegExp | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return false;
  return typeof pattern === 'string' ? pattern === value : pattern.test(value);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
