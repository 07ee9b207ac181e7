/**
 * The operator API the console talks to, under `/_console/api/`: plain JSON over GET and POST,
 * answered from the running system's tables and queues. The same shape a deployed system would
 * answer from behind its own gateway (the console is a static site given the API's address).
 */
import { projectionStatuses, StoreUnavailableError, streamIdOf } from '@coffee-es/core';
import { streamVersion } from '@coffee-es/dynamodb';
import { listEntities } from '../ops/entities.ts';
import { peekDeadLetters, redriveQueue } from '../ops/queues.ts';
import { readEvents, type StreamEvent, stateAt } from '../ops/streams.ts';
import {
  canFold,
  historyPoint,
  needs,
  type OperatorContext,
  overview,
  position,
  queueOf,
  queues,
  Refusal,
  sourceOf,
} from './operatorParts.ts';

export type { OperatorContext } from './operatorParts.ts';

/** An answer of the operator API: a status and a JSON body. */
export interface OperatorAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** At most this many events or entities in one answer (`?after=` pages on through events). */
const eventPage = 1000;
const entityPage = 50;

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
  { method: 'GET', path: /^queues$/, handle: (ctx) => queues(ctx) },
  {
    method: 'GET',
    path: /^queues\/([^/]+)\/dead-letters$/,
    handle: async (ctx, [queue]) => {
      const { sqs, urls, sourceUrl } = queueOf(ctx, queue as string);
      const deadLetterUrl = urls.deadLetters[queue as string];
      return {
        messages: await peekDeadLetters(sqs, sourceUrl, {
          max: 20,
          ...(deadLetterUrl ? { deadLetterUrl } : {}),
        }),
      };
    },
  },
  {
    method: 'POST',
    path: /^queues\/([^/]+)\/redrive$/,
    handle: async (ctx, [queue]) => {
      const { sqs, sourceUrl } = queueOf(ctx, queue as string);
      return redriveQueue(sqs, sourceUrl);
    },
  },
  {
    method: 'GET',
    path: /^entities\/([^/]+)$/,
    handle: async (ctx, [type]) => {
      const table = needs(ctx.journalTable, 'a journal');
      const entities: { id: string; version: number }[] = [];
      for await (const e of listEntities(table, sourceOf(ctx, type as string).type)) {
        entities.push({ id: e.id, version: e.version });
        if (entities.length >= entityPage) break;
      }
      return { entities };
    },
  },
  {
    method: 'GET',
    path: /^streams\/([^/]+)\/([^/]+)$/,
    handle: async (ctx, [type, id], query) => {
      const source = sourceOf(ctx, type as string);
      const from = position(query.get('after') ?? '0', 'after') + 1;
      const journal = needs(ctx.journal, 'a journal');
      const schemas = ctx.system.readSide?.eventSchemas ?? {};
      const events: StreamEvent[] = [];
      for await (const e of readEvents(journal, schemas, source.type, id as string, { from })) {
        events.push(e);
        if (events.length >= eventPage) break;
      }
      // The stream's version too: a long stream comes a page at a time (`after` the last shown).
      const table = needs(ctx.journalTable, 'a journal');
      const version = await streamVersion(table, streamIdOf(source.type, id as string));
      return { type: source.type, id, version, foldable: canFold(source), events };
    },
  },
  {
    method: 'GET',
    path: /^streams\/([^/]+)\/([^/]+)\/state$/,
    handle: async (ctx, [type, id], query) => {
      const source = sourceOf(ctx, type as string);
      if (!canFold(source)) throw new Refusal(422, `${source.type} declares no evolve to fold`);
      const at = query.get('at');
      const point = at === null ? undefined : historyPoint(at);
      const journal = needs(ctx.journal, 'a journal');
      const found = await stateAt(journal, source, id as string, point ?? { position: 2 ** 53 });
      if (found.latest === 0) throw new Refusal(404, `${source.type} ${id} has no events`);
      if (point && 'position' in point && point.position > found.latest) {
        throw new Refusal(404, `${source.type} ${id} is at ${found.latest}: no position ${at}`);
      }
      return found;
    },
  },
  {
    method: 'GET',
    path: /^metrics$/,
    handle: async (ctx) => needs(ctx.meter, 'a write meter').series(),
  },
];

/**
 * Answers one operator request (`path` is what follows `/_console/api/`): 404 for an unknown
 * path, 405 for a known path asked with another method, 400 for a bad position, 503 when the
 * system runs without what the request reads (no queues, say) or its store stays unavailable.
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
    // Throttled or unavailable after the retries: worth another try, as the routes answer it.
    if (error instanceof StoreUnavailableError) {
      return { status: 503, body: { error: 'unavailable', detail: error.message } };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { error: 'failed', detail } };
  }
}
