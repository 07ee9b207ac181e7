/** The reports route group's function (declared in functions/app/system.ts): its routes only. */
import { branches } from '../../app/deps/branches.ts';
import { readModels } from '../../app/deps/readModels.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { reportRoutes } from '../../app/routes/reports.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = reportRoutes;
export const handler = httpFunction({
  group: 'reports',
  routes,
  deps: { branches, readModels },
});
