/** Pieces every route module uses: the route builders for the app's deps, id and time schemas. */

import {
  assertOwner,
  defineCommandRoute,
  defineQueryRoute,
  defineRoute,
  notFoundProblem,
} from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import type { AppDeps } from '../deps.ts';

export const route = defineRoute<AppDeps>();
/**
 * A route running one command on one entity (If-Match, Idempotency-Key, ETag, replay), on the
 * entity's store from `deps.stores`: a route names its entity and nothing more.
 */
export const commandRoute = defineCommandRoute<AppDeps>({
  store: (deps, entity) => deps.stores.of(entity),
});
/** A route reading one entity (404 when missing, ETag of its version). */
export const queryRoute = defineQueryRoute<AppDeps>();

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
  notFoundProblem(`No ${what} ${entityId}`);

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
