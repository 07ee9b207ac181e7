/** Written by `npm run generate` (scripts/generate/): the branches route group's function, its routes only. Do not edit. */
import { httpFunction } from '../../app/httpFunction.ts';
import { branchRoutes, deps } from '../../app/routes/branches.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = branchRoutes;
export const handler = httpFunction({
  group: 'branches',
  routes,
  deps,
});
