/** The branches' durable-state store. */
import { DurableStateStore } from '@coffee-es/core';
import { DynamoStateStore } from '@coffee-es/dynamodb';
import { type Branch, branchDefinition } from '../../domain/branches.ts';
import type { DepMaker } from './compose.ts';

export const branches: DepMaker<'branches'> = (context) =>
  new DurableStateStore<Branch>(branchDefinition, {
    store: new DynamoStateStore({ client: context.client, tableName: context.journalTable() }),
  });
