/**
 * The event-sourced entities of the coffee franchise, listed once: the read side's event-schema
 * registry is built from this list, and every entity store is made through `declaredEntity`
 * against it (functions/app/deps.ts), so an entity missing here is a type error there.
 */
import { customerEntity, orderEntity, slotEntity } from '../domain/index.ts';

export const entities = [customerEntity, orderEntity, slotEntity] as const;
