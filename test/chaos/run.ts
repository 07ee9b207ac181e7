/**
 * The invariant checker: `npm start` (its own DynamoDB Local behind a fault proxy, its in-process
 * SQS emulator), concurrent clients sending a random mix of the contract's commands, faults
 * switched on and off, the process stopped in the middle by each kind of stop and started again on
 * the same DATA_DIR, then the invariants checked until they hold or time runs out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDynamoDbLocal } from '@coffee-es/local';
import { type FaultRule, startFaultProxy } from '../support/faultProxy.ts';
import { type ClientOptions, newStats, sleep } from './client.ts';
import { checkInvariants, type Violation } from './invariants.ts';
import { type StartedServer, startServer } from './server.ts';
import { runClient, setUpWorld, type World } from './workload.ts';

export type Stop = 'SIGINT-group' | 'SIGTERM-group' | 'SIGTERM-process' | 'SIGKILL-group';

export interface ChaosOptions {
  readonly clients: number;
  readonly commandsPerClient: number;
  readonly stops: readonly Stop[];
  /** Switch DynamoDB faults on for a stretch of the run. */
  readonly faults: boolean;
  /** Multiplies every fault's probability (capped at 1). Default 1. */
  readonly faultScale?: number;
  /** How long the invariants may take to hold after the last command. */
  readonly settleTimeoutMs: number;
  readonly seed?: number;
  /**
   * Once the invariants hold, alter one acknowledged payment in the model and check again: the
   * invariants that then fail are reported in `selfCheck` (the checker can fail).
   */
  readonly selfCheck?: boolean;
  readonly log?: (line: string) => void;
}

export interface ChaosReport {
  readonly clients: number;
  readonly commands: number;
  readonly requests: number;
  readonly retries: number;
  readonly unanswered: number;
  readonly unavailable: number;
  readonly faultsInjected: number;
  readonly stops: readonly { stop: Stop; atCommand: number; restartMs: number }[];
  readonly orders: number;
  readonly reservations: number;
  /** From the last command until every invariant held (undefined: they never did). */
  readonly convergedMs: number | undefined;
  readonly durationMs: number;
  readonly violations: readonly Violation[];
  /** The invariants that failed on the altered model (see `selfCheck`). */
  readonly selfCheck?: readonly string[];
}

/** Faults a real week brings: throttled writes, answers lost after the write, failing reads. */
const faultPlan: readonly FaultRule[] = [
  { operation: /^(PutItem|UpdateItem|TransactWriteItems)$/, fault: 'throttle', probability: 0.15 },
  { operation: 'PutItem', fault: 'lost-answer', probability: 0.05 },
  { operation: /^(Query|GetItem)$/, fault: 'unavailable', probability: 0.05 },
  { operation: /^(Query|GetItem|PutItem)$/, fault: 'delay', delayMs: 300, probability: 0.05 },
];

/** A small, seedable generator (mulberry32): a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pretends one credited payment was refunded by 100 more and returns what the checker says. */
async function checkAltered(client: ClientOptions, world: World): Promise<string[]> {
  const order = [...world.orders.values()].find(
    (o) => o.customerId !== undefined && o.paid - o.refunded >= 100,
  );
  if (!order) return [];
  const orders = new Map(world.orders);
  orders.set(order.orderId, { ...order, refunded: order.refunded + 100 });
  const violations = await checkInvariants(client, { ...world, orders });
  return [...new Set(violations.map((v) => v.invariant))];
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  log(`seed ${seed}`);
  const dynamo = await startDynamoDbLocal({ maxHeapMb: 1024 });
  const proxy = await startFaultProxy(dynamo.endpoint, { random: seeded(seed + 1) });
  const dataDir = await mkdtemp(join(tmpdir(), 'coffee-chaos-'));
  const port = await freePort();
  const serverOptions = { port, dataDir, env: { DYNAMODB_ENDPOINT: proxy.endpoint } };
  let server: StartedServer | undefined = await startServer(serverOptions);
  const stats = newStats();
  const client: ClientOptions = { url: () => `http://127.0.0.1:${port}`, stats };
  const stopsDone: { stop: Stop; atCommand: number; restartMs: number }[] = [];
  try {
    const world = await setUpWorld(client, {
      run: `r${seed.toString(36)}`,
      branches: 3,
      customers: Math.max(4, options.clients * 2),
      slotCapacity: 40,
    });
    const total = options.clients * options.commandsPerClient;
    const random = seeded(seed);
    const clients = Array.from({ length: options.clients }, () =>
      runClient(client, world, { commands: options.commandsPerClient, random }),
    );
    let clientsDone = false;
    const all = Promise.all(clients).finally(() => {
      clientsDone = true;
    });
    const at = async (fraction: number) => {
      while (!clientsDone && world.commands < total * fraction) await sleep(20);
    };

    const director = (async () => {
      if (options.faults) {
        await at(0.1);
        log(`faults on at command ${world.commands}`);
        const scale = options.faultScale ?? 1;
        const offs = faultPlan.map((rule) =>
          proxy.inject({ ...rule, probability: Math.min(1, (rule.probability ?? 1) * scale) }),
        );
        await at(0.3);
        for (const off of offs) off();
        log(`faults off at command ${world.commands} (${proxy.injected()} injected)`);
      }
      for (const [i, stop] of options.stops.entries()) {
        await at(0.35 + (0.55 * (i + 1)) / (options.stops.length + 1));
        const [signal, target] = stop.split('-') as [NodeJS.Signals, 'group' | 'process'];
        const atCommand = world.commands;
        log(`${stop} at command ${atCommand}`);
        const down = Date.now();
        await server?.stop(signal, target);
        server = undefined;
        server = await startServer(serverOptions);
        stopsDone.push({ stop, atCommand, restartMs: Date.now() - down });
        log(`restarted after ${Date.now() - down} ms`);
      }
    })();
    await Promise.all([all, director]);
    log(`${world.commands} commands done; checking`);

    const lastCommand = Date.now();
    let violations: Violation[] = [];
    let convergedMs: number | undefined;
    do {
      violations = await checkInvariants({ ...client, patienceMs: 30_000 }, world);
      if (violations.length === 0) {
        convergedMs = Date.now() - lastCommand;
        break;
      }
      await sleep(1000);
    } while (Date.now() - lastCommand < options.settleTimeoutMs);

    const selfCheck =
      options.selfCheck && convergedMs !== undefined
        ? await checkAltered({ ...client, patienceMs: 30_000 }, world)
        : undefined;
    const contract = [
      ...stats.contractBreaks.map((detail) => ({ invariant: 'contract', detail })),
      ...world.wrongAnswers.map((detail) => ({ invariant: 'answers', detail })),
    ];
    return {
      clients: options.clients,
      commands: world.commands,
      requests: stats.requests,
      retries: stats.retries,
      unanswered: stats.unanswered,
      unavailable: stats.unavailable,
      faultsInjected: proxy.injected(),
      stops: stopsDone,
      orders: world.orders.size,
      reservations: world.reservations.length,
      convergedMs,
      durationMs: Date.now() - started,
      violations: [...contract, ...violations],
      ...(selfCheck ? { selfCheck } : {}),
    };
  } finally {
    await server?.stop('SIGTERM').catch(() => {});
    await proxy.close();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
