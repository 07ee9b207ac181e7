/** Whether a branch or customer exists: needs the branches and customers makers too. */
import { KnownEntities } from '../knownEntities.ts';
import type { DepMaker } from './compose.ts';

export const known: DepMaker<'known'> = (_context, deps) =>
  new KnownEntities({
    branch: async (id) => (await deps.branches.get(id)) !== undefined,
    customer: async (id) => (await deps.customers.get(id)) !== undefined,
  });
