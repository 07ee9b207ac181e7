/** The branches route group's function (declared in functions/app/system.ts): its routes only. */
import { branches } from '../../app/deps/branches.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { branchRoutes } from '../../app/routes/branches.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = branchRoutes;
export const handler = httpFunction({
  group: 'branches',
  routes,
  deps: { branches },
});
