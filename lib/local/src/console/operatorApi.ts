/**
 * The operator API the console talks to, under `/_console/api/`: plain JSON over GET and POST,
 * answered from the running system's tables and queues. The same shape a deployed system would
 * answer from behind its own gateway (the console is a static site given the API's address).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import {
  type EventSource,
  type Journal,
  projectionStatuses,
  type ReadModelReader,
} from '@coffee-es/core';
import type { QueueUrls } from '../systemQueues.ts';
import { peekMessages, queueDepths, redrive } from './queueReads.ts';
import { canFold, listIds, readTrail, stateAt } from './streamReads.ts';
import type { WriteMeter } from './writeMeter.ts';

/** What the operator API reads from: the system's declaration, journal, read models, queues. */
export interface OperatorContext {
  readonly system: SystemDeclaration<never>;
  readonly journal?: Journal;
  readonly readModels?: ReadModelReader;
  readonly sqs?: SQSClient;
  readonly queueUrls?: QueueUrls;
  readonly meter?: WriteMeter;
}

/** An answer of the operator API: a status and a JSON body. */
export interface OperatorAnswer {
  readonly status: number;
  readonly body: unknown;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const needs = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Refusal(503, `This system runs without ${what}`);
  return value;
};

type Handler = (
  ctx: OperatorContext,
  params: readonly string[],
  query: URLSearchParams,
) => Promise<unknown>;

const routes: readonly { method: string; path: RegExp; handle: Handler }[] = [
  { method: 'GET', path: /^overview$/, handle: async (ctx) => overview(ctx) },
  {
    method: 'GET',
    path: /^projections$/,
    handle: async (ctx) => ({
      projections: await projectionStatuses(
        needs(ctx.readModels, 'a read-model table'),
        ctx.system.readSide?.projections ?? [],
      ),
    }),
  },
  {
    method: 'GET',
    path: /^queues$/,
    handle: (ctx) => queueDepths(needs(ctx.sqs, 'queues'), needs(ctx.queueUrls, 'queues')),
  },
  {
    method: 'GET',
    path: /^queues\/([^/]+)\/dead-letters$/,
    handle: async (ctx, [queue]) => {
      const url = needs(ctx.queueUrls, 'queues').deadLetters[queue as string];
      if (!url) throw new Refusal(404, `No queue ${queue}`);
      return { messages: await peekMessages(needs(ctx.sqs, 'queues'), url) };
    },
  },
  {
    method: 'POST',
    path: /^queues\/([^/]+)\/redrive$/,
    handle: async (ctx, [queue]) => {
      const urls = needs(ctx.queueUrls, 'queues');
      if (!urls.queues[queue as string]) throw new Refusal(404, `No queue ${queue}`);
      return redrive(needs(ctx.sqs, 'queues'), urls, queue as string);
    },
  },
  {
    method: 'GET',
    path: /^entities\/([^/]+)$/,
    handle: async (ctx, [type]) => ({
      ids: await listIds(needs(ctx.journal, 'a journal'), sourceOf(ctx, type as string).type),
    }),
  },
  {
    method: 'GET',
    path: /^streams\/([^/]+)\/([^/]+)$/,
    handle: async (ctx, [type, id], query) => {
      const source = sourceOf(ctx, type as string);
      const after = position(query.get('after') ?? '0', 'after');
      const events = await readTrail(needs(ctx.journal, 'a journal'), source, id as string, {
        after,
      });
      return { type: source.type, id, foldable: canFold(source), events };
    },
  },
  {
    method: 'GET',
    path: /^streams\/([^/]+)\/([^/]+)\/state$/,
    handle: async (ctx, [type, id], query) => {
      const source = sourceOf(ctx, type as string);
      if (!canFold(source)) throw new Refusal(422, `${source.type} declares no evolve to fold`);
      const at = query.get('at');
      const journal = needs(ctx.journal, 'a journal');
      const found = await stateAt(
        journal,
        source,
        id as string,
        at ? position(at, 'at') : undefined,
      );
      if (!found) throw new Refusal(404, `${source.type} ${id} has no event at ${at ?? 'all'}`);
      return found;
    },
  },
  {
    method: 'GET',
    path: /^metrics$/,
    handle: async (ctx) => needs(ctx.meter, 'a write meter').series(),
  },
];

function overview(ctx: OperatorContext) {
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

function sourceOf(ctx: OperatorContext, type: string): EventSource {
  const entities = ctx.system.readSide?.entities ?? [];
  const source = entities.find((e) => e.type === type);
  if (!source) {
    const known = entities.map((e) => e.type).join(', ') || 'none';
    throw new Refusal(404, `No entity type ${type} (the read side declares: ${known})`);
  }
  return source;
}

function position(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new Refusal(400, `${name} must be a position (0, 1, 2, …), not "${text}"`);
  }
  return n;
}

/**
 * Answers one operator request (`path` is what follows `/_console/api/`): 404 for an unknown
 * path, 405 for a known path asked with another method, 400 for a bad position, 503 when the
 * system runs without what the request reads (no queues, say).
 *
 * @example
 * ```ts
 * const answer = await answerOperator(ctx, 'GET', 'streams/Order/o-1', new URLSearchParams());
 * ```
 */
export async function answerOperator(
  ctx: OperatorContext,
  method: string,
  path: string,
  query: URLSearchParams,
): Promise<OperatorAnswer> {
  const matches = routes.flatMap((r) => {
    const m = r.path.exec(path);
    return m ? [{ route: r, params: m.slice(1) }] : [];
  });
  const match = matches.find((m) => m.route.method === method);
  if (!match) {
    return matches.length > 0
      ? { status: 405, body: { error: 'method-not-allowed', detail: `${method} ${path}` } }
      : { status: 404, body: { error: 'not-found', detail: `No operator endpoint ${path}` } };
  }
  try {
    const params = match.params.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new Refusal(400, `Not a valid path segment: ${p}`);
      }
    });
    return { status: 200, body: await match.route.handle(ctx, params, query) };
  } catch (error) {
    if (error instanceof Refusal) {
      return { status: error.status, body: { error: 'refused', detail: error.message } };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { error: 'failed', detail } };
  }
}
