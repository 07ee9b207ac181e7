/** Whether a branch or customer exists: needs the branches and stores makers too. */
import { customerEntity } from '../../domain/customers/index.ts';
import { KnownEntities } from '../knownEntities.ts';
import type { DepMaker } from './compose.ts';

export const known: DepMaker<'known'> = (_context, deps) =>
  new KnownEntities({
    branch: async (id) => (await deps.branches.get(id)) !== undefined,
    customer: async (id) => (await deps.stores.of(customerEntity).get(id)) !== undefined,
  });
