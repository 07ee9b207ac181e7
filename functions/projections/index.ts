/**
 * The read side of the coffee franchise, declared once: the entities whose events are read back
 * and the read models kept from them. The event-schema registry and the projection list derive
 * from this; the system declaration (functions/app/system.ts) carries it.
 */
import { defineReadSide } from '@coffee-es/core';
import { entities } from '../app/entities.ts';
import { availability } from './availability.ts';
import { dailySales } from './dailySales.ts';
import { orderHistory } from './orderHistory.ts';

export const readSide = defineReadSide({
  entities,
  // In the order GET /projections lists them.
  projections: [orderHistory, dailySales, availability],
});
