/** Pieces every route module uses: id and time schemas, and running a command from a request. */

import { assertOwner, defineRoute, HttpProblem, type HttpRequest } from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import type { DomainCommand, DomainEvent, EntityStore } from '@coffee-es/core';
import { CommandRejectedError, VersionMismatchError } from '@coffee-es/core';
import type { AppDeps } from '../deps.ts';

export const route = defineRoute<AppDeps>();

/** Ids in paths and bodies: 1 to 64 characters of `A-Z a-z 0-9 _ -`. */
export const id = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 characters of A-Z a-z 0-9 _ -'));

/** A string of `min` to `max` characters. */
export const text = (min: number, max: number) =>
  z.string().check(z.minLength(min), z.maxLength(max));

/** An integer from `min` to `max` (inclusive; no bound when undefined). */
export const integer = (min?: number, max?: number) =>
  z
    .int()
    .check(
      ...(min === undefined ? [] : [z.minimum(min)]),
      ...(max === undefined ? [] : [z.maximum(max)]),
    );

export const isoTime = z.iso.datetime({ offset: true });

export const notFound = (what: string, entityId: string) =>
  new HttpProblem(404, 'not-found', `No ${what} ${entityId}`);

/**
 * A route whose path names the owner (`/customers/{customerId}/…`): a caller limited to their own
 * id who names another gets 404 when that one does not exist, else 403. Costs a read only then.
 */
export async function assertOwnsPath(
  request: { readonly ownedBy: string | undefined },
  owner: string,
  exists: () => Promise<boolean>,
  what: string,
): Promise<void> {
  if (request.ownedBy === undefined || request.ownedBy === owner) return;
  if (!(await exists())) throw notFound(what, owner);
  assertOwner(request, owner);
}

type AnyRequest = Pick<
  HttpRequest<unknown, unknown, unknown>,
  'ifMatch' | 'idempotency' | 'requestId' | 'remainingTimeMs'
>;

/**
 * Time kept back from the function's remaining time for answering: retries on a contended
 * entity stop in time for a 409 `concurrent-modification`, never a timeout.
 */
export const answerMarginMs = 1000;

export interface CommandAnswer<V> {
  readonly view: V;
  readonly version: number;
  readonly replayed: boolean;
  readonly events: readonly { readonly type: string }[];
}

/**
 * Runs a command for a request: `If-Match` becomes the expected version, `Idempotency-Key` the
 * idempotency key, and the answer is kept with the commit so that a repeat answers the same.
 * An entity that does not exist answers 404 before any version check or business rule.
 */
export async function runCommand<S, C extends DomainCommand, E extends DomainEvent, V>(
  store: EntityStore<S, C, E>,
  entityId: string,
  command: C,
  request: AnyRequest,
  view: (state: S, version: number) => V,
  options: {
    readonly what: string;
    readonly isNew?: boolean;
    /** The command may create the entity: a missing one is not a 404. */
    readonly upsert?: boolean;
    /**
     * Checks before deciding (referenced entities exist, the caller owns the entity), given the
     * state the command is decided on; their refusals are kept like others.
     */
    readonly guard?: (state: S) => Promise<void> | void;
  },
): Promise<CommandAnswer<V>> {
  const keyed = request.idempotency;
  // Errors as the client sees them: an entity that does not exist is a 404.
  const asAnswered = (error: unknown): unknown => {
    const missing =
      (error instanceof VersionMismatchError && !options.upsert && error.actualVersion === 0) ||
      (error instanceof CommandRejectedError && error.code === `${options.what}-not-found`);
    return missing ? notFound(options.what, entityId) : error;
  };
  try {
    const result = await store.execute<V>(entityId, command, {
      correlationId: request.requestId,
      deadline: Date.now() + request.remainingTimeMs() - answerMarginMs,
      ...(options.isNew ? { isNew: true } : {}),
      ...(options.guard ? { guard: options.guard } : {}),
      ...(request.ifMatch === undefined ? {} : { expectedVersion: request.ifMatch }),
      ...(keyed
        ? {
            idempotencyKey: keyed.key,
            fingerprint: keyed.fingerprint,
            reply: ({ state, version }) => view(state, version),
            refusal: (error) => keyed.refusal(asAnswered(error)),
          }
        : {}),
    });
    // A replay answers as the first time did: the ETag is the version that answer was at (the
    // replayed commit's last position), not the version the entity has moved on to since.
    const original = result.replayed && result.reply !== undefined;
    const version = original ? (result.events.at(-1)?.position ?? result.version) : result.version;
    return {
      view: result.reply ?? view(result.state, result.version),
      version,
      replayed: result.replayed,
      events: result.events.map((e) => ({ type: e.type })),
    };
  } catch (error) {
    throw asAnswered(error);
  }
}

/** The version of the entity in a reply kept with its commit, for the ETag of a replay. */
export const versionOf = (answer: { readonly version: number }) => answer.version;
