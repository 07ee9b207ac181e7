/** The orders' entity store. */
import { declaredEntity, EntityStore } from '@coffee-es/core';
import { orderEntity } from '../../domain/orders/index.ts';
import { entities } from '../entities.ts';
import type { DepMaker } from './compose.ts';
import { entityStoreOptions } from './entityStores.ts';

export const orders: DepMaker<'orders'> = (context) =>
  new EntityStore(declaredEntity(entities, orderEntity), entityStoreOptions(context));
