/** Every projection the projector runs, and the event schemas it reads the journal with. */
import type { EventSchemasByType, Projection } from '@coffee-es/core';
import { customerEntity, orderEntity, slotEntity } from '../domain/index.ts';
import { availability } from './availability.ts';
import { dailySales } from './dailySales.ts';
import { orderHistory } from './orderHistory.ts';

/** In the order of `projectionNames` (`GET /projections` lists them so). */
export const projections: readonly Projection[] = [orderHistory, dailySales, availability];

export const eventSchemas: EventSchemasByType = {
  [customerEntity.type]: customerEntity.events,
  [orderEntity.type]: orderEntity.events,
  [slotEntity.type]: slotEntity.events,
};
