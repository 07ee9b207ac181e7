/** The audit trail of one entity: its events oldest first, upcast, paged by position. */

import * as z from '@coffee-es/aws-lambda/schema';
import type { DomainCommand, DomainEvent, EntityStore } from '@coffee-es/core';
import { notFound } from './shared.ts';

export const eventsQuery = z.object({
  after: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 0),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 100),
});

export async function auditTrail<S, C extends DomainCommand, E extends DomainEvent>(
  store: EntityStore<S, C, E>,
  entityId: string,
  query: z.output<typeof eventsQuery>,
  what: string,
) {
  const events = await store.events(entityId, query);
  if (events.length === 0 && !(await store.get(entityId, { consistent: true }))) {
    throw notFound(what, entityId);
  }
  return {
    status: 200,
    body: {
      events: events.map((e) => ({
        position: e.position,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        recordedAt: e.recordedAt,
      })),
    },
  };
}
