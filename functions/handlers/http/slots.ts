/** Written by `npm run generate` (scripts/generate/): the slots route group's function, its routes only. Do not edit. */
import { httpFunction } from '../../app/httpFunction.ts';
import { deps, slotRoutes } from '../../app/routes/slots.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = slotRoutes;
export const handler = httpFunction({
  group: 'slots',
  routes,
  deps,
});
