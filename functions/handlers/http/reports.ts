/** Written by `npm run generate` (scripts/generate/): the reports route group's function, its routes only. Do not edit. */
import { httpFunction } from '../../app/httpFunction.ts';
import { deps, reportRoutes } from '../../app/routes/reports.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = reportRoutes;
export const handler = httpFunction({
  group: 'reports',
  routes,
  deps,
});
