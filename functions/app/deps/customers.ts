/** The customers' entity store. */
import { declaredEntity, EntityStore } from '@coffee-es/core';
import { ClaimingJournal } from '@coffee-es/dynamodb';
import { customerEntity } from '../../domain/customers/index.ts';
import { entities } from '../entities.ts';
import { loyaltyClaims } from '../loyalty.ts';
import type { DepMaker } from './compose.ts';
import { entityStoreOptions } from './entityStores.ts';

export const customers: DepMaker<'customers'> = (context) => {
  const base = entityStoreOptions(context);
  // Loyalty's credits and refunds claim their keys atomically with the customer's commit.
  const journal = new ClaimingJournal({
    client: context.client,
    tableName: context.journalTable(),
    journal: base.journal,
    claimsOf: loyaltyClaims,
  });
  return new EntityStore(declaredEntity(entities, customerEntity), { ...base, journal });
};
