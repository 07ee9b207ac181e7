/**
 * What the operator API reads from, and the pieces its endpoints share: the refusals it answers
 * (status and detail), the queues' depths, the read side's entity types, positions and times.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import type { Entity, EventSource, Journal, ReadModelReader } from '@coffee-es/core';
import type { JournalTableRef } from '@coffee-es/dynamodb';
import { depthOf } from '../ops/queueMessages.ts';
import { queueDepths } from '../ops/queues.ts';
import type { HistoryPoint } from '../ops/streams.ts';
import type { QueueUrls } from '../systemQueues.ts';
import type { WriteMeter } from './writeMeter.ts';

/** What the operator API reads from: the system's declaration, journal, read models, queues. */
export interface OperatorContext {
  readonly system: SystemDeclaration<never>;
  readonly journal?: Journal;
  /** The journal's table itself (the entity list reads its index of streams by type). */
  readonly journalTable?: JournalTableRef;
  readonly readModels?: ReadModelReader;
  readonly sqs?: SQSClient;
  readonly queueUrls?: QueueUrls;
  readonly meter?: WriteMeter;
}

/** A request the API refuses: the status and the detail it answers. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const needs = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Refusal(503, `This system runs without ${what}`);
  return value;
};

export async function queues(ctx: OperatorContext) {
  const sqs = needs(ctx.sqs, 'queues');
  const urls = needs(ctx.queueUrls, 'queues');
  const failures = await Promise.all(
    Object.entries(urls.failures).map(async ([consumer, url]) => ({
      consumer,
      ...(await depthOf(sqs, url)),
    })),
  );
  return { queues: await queueDepths(sqs, urls.queues), failures };
}

export function queueOf(ctx: OperatorContext, queue: string) {
  const urls = needs(ctx.queueUrls, 'queues');
  const sourceUrl = urls.queues[queue];
  if (!sourceUrl) throw new Refusal(404, `No queue ${queue}`);
  return { sqs: needs(ctx.sqs, 'queues'), urls, sourceUrl };
}

/** Whether the read side's entity brings what folding needs (an event source may not). */
export function canFold(source: EventSource): source is Entity<unknown, never, never> {
  const s = source as Partial<Entity<unknown, never, never>>;
  return typeof s.initialState === 'function' && typeof s.evolve === 'function';
}

export function overview(ctx: OperatorContext) {
  const { system } = ctx;
  return {
    service: system.service,
    entityTypes: (system.readSide?.entities ?? []).map((e) => ({
      type: e.type,
      events: Object.keys(e.events),
      foldable: canFold(e),
    })),
    projections: (system.readSide?.projections ?? []).map((p) => p.name),
    queues: Object.keys(system.queues),
    streamConsumers: Object.keys(system.streamConsumers),
    queueConsumers: Object.keys(system.queueConsumers),
  };
}

export function sourceOf(ctx: OperatorContext, type: string): EventSource {
  const entities = ctx.system.readSide?.entities ?? [];
  const source = entities.find((e) => e.type === type);
  if (!source) {
    const known = entities.map((e) => e.type).join(', ') || 'none';
    throw new Refusal(404, `No entity type ${type} (the read side declares: ${known})`);
  }
  return source;
}

/** `?at=`: a position (3), or a time (2026-12-01T10:00:00Z): the state as of then. */
export function historyPoint(text: string): HistoryPoint {
  if (/^\d+$/.test(text)) return { position: position(text, 'at') };
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new Refusal(400, `at must be a position (0, 1, 2, …) or a time, not "${text}"`);
  }
  return { time: new Date(time) };
}

export function position(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new Refusal(400, `${name} must be a position (0, 1, 2, …), not "${text}"`);
  }
  return n;
}

/**
 * The journal and read-model tables by their declared shape: the journal has a stream and a
 * numeric sort key (positions), a read-model table a string sort key and no stream.
 */
export function journalAndReadModels(system: SystemDeclaration<never>): {
  readonly journal?: string;
  readonly readModels?: string;
} {
  const tables = Object.entries(system.tables);
  const journal = tables.find(([, spec]) => spec.stream && spec.sortKey?.type === 'N')?.[0];
  const readModels = tables.find(
    ([name, spec]) => name !== journal && spec.sortKey?.type === 'S' && !spec.stream,
  )?.[0];
  return { ...(journal ? { journal } : {}), ...(readModels ? { readModels } : {}) };
}
