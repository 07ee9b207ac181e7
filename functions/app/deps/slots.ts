/** The pickup slots' entity store. */
import { declaredEntity, EntityStore } from '@coffee-es/core';
import { slotEntity } from '../../domain/slots/index.ts';
import { entities } from '../entities.ts';
import type { DepMaker } from './compose.ts';
import { entityStoreOptions } from './entityStores.ts';

export const slots: DepMaker<'slots'> = (context) =>
  new EntityStore(declaredEntity(entities, slotEntity), entityStoreOptions(context));
