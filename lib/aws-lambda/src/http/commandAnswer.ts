/**
 * Running one command for a request, as HTTP means it: `If-Match` is the expected version,
 * `Idempotency-Key` the store's key (the answer kept with the commit, so a repeat answers the
 * same, ETag included), and an entity the request addresses that does not exist answers 404.
 */
import type {
  DomainCommand,
  DomainEvent,
  EntityStore,
  Rejection,
  RejectionDeclarations,
} from '@coffee-es/core';
import { isRejection, rejectedError, VersionMismatchError } from '@coffee-es/core';
import { HttpProblem, rejectionProblem } from './problem.ts';
import type { HttpRequest } from './route.ts';

/** What a command route runs: the entity, the command and the checks before deciding. */
export interface CommandTarget<S, C extends DomainCommand, R extends string = string> {
  readonly entityId: string;
  readonly command: C;
  /**
   * `new`: the id was just generated, there is nothing to load. `upsert`: the command may create
   * the entity, so `If-Match` on a missing one is a 412, not a 404.
   */
  readonly creates?: 'new' | 'upsert';
  /**
   * Checks on the state the command is decided on (a referenced entity exists, the caller owns
   * this one): return a rejection with one of the entity's codes, or throw; kept like a refusal
   * of `decide` for a keyed request.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a guard that only throws returns nothing
  readonly guard?: (state: S) => Promise<Rejection<R> | void> | Rejection<R> | void;
}

/** What running the command came to, for the route's status and body. */
export interface CommandOutcome<E extends DomainEvent, V> {
  /** The answer's body: computed once, kept with the commit, given again to a replay. */
  readonly view: V;
  /** The ETag: after a replay, the version the first answer was at. */
  readonly version: number;
  readonly replayed: boolean;
  readonly events: readonly { readonly type: E['type'] }[];
}

type CommandRequest = Pick<
  HttpRequest<unknown, unknown, unknown>,
  'ifMatch' | 'idempotency' | 'requestId' | 'remainingTimeMs'
>;

/**
 * Time kept back from the function's remaining time for answering: retries on a contended
 * entity stop in time for a 409 `concurrent-modification`, never a timeout.
 */
export const answerMarginMs = 1000;

/** The 404 for something the request addresses that does not exist. */
export const notFoundProblem = (detail: string): HttpProblem =>
  new HttpProblem(404, 'not-found', detail);

/**
 * Runs `target`'s command on `store` for `request` (see the module's comment). A rejection in
 * place of a target (say, an id that cannot name any entity) answers as `decide`'s would.
 *
 * @example
 * ```ts
 * const outcome = await answerCommand(deps.stores.of(orderEntity), request,
 *   { entityId: orderId, command: { type: 'PayOrder', data: { amount } } },
 *   ({ state, version }) => ({ ...orderView(orderId, state), version }));
 * return { status: 200, body: outcome.view, etag: outcome.version };
 * ```
 */
export async function answerCommand<S, C extends DomainCommand, E extends DomainEvent, V>(
  store: EntityStore<S, C, E>,
  request: CommandRequest,
  target: CommandTarget<S, C> | Rejection,
  view: (outcome: { readonly state: S; readonly version: number }) => V,
): Promise<CommandOutcome<E, V>> {
  const declared: RejectionDeclarations | undefined = store.entity.rejections;
  if (isRejection(target)) {
    throw rejectionProblem(rejectedError(store.entity.type, target, declared));
  }
  const { entityId, command, creates, guard } = target;
  const keyed = request.idempotency;
  // If-Match on an entity that does not exist: 404 comes before 412.
  const asAnswered = (error: unknown): unknown =>
    error instanceof VersionMismatchError && creates !== 'upsert' && error.actualVersion === 0
      ? notFoundProblem(`No ${store.entity.type} ${entityId}`)
      : error;
  try {
    const result = await store.execute<V>(entityId, command, {
      correlationId: request.requestId,
      deadline: Date.now() + request.remainingTimeMs() - answerMarginMs,
      ...(creates === 'new' ? { isNew: true } : {}),
      ...(guard ? { guard } : {}),
      ...(request.ifMatch === undefined ? {} : { expectedVersion: request.ifMatch }),
      ...(keyed
        ? {
            idempotencyKey: keyed.key,
            fingerprint: keyed.fingerprint,
            reply: ({ state, version }) => view({ state, version }),
            refusal: (error) => keyed.refusal(asAnswered(error)),
          }
        : {}),
    });
    // A replay answers as the first time did: the ETag is the version that answer was at (the
    // replayed commit's last position), not the version the entity has moved on to since.
    const original = result.replayed && result.reply !== undefined;
    const version = original ? (result.events.at(-1)?.position ?? result.version) : result.version;
    return {
      view: result.reply ?? view({ state: result.state, version: result.version }),
      version,
      replayed: result.replayed,
      events: result.events.map((e) => ({ type: e.type })),
    };
  } catch (error) {
    throw asAnswered(error);
  }
}
