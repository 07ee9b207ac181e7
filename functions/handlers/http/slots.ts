/** The slots route group's function (declared in functions/app/system.ts): its routes only. */

import { branches } from '../../app/deps/branches.ts';
import { readModels } from '../../app/deps/readModels.ts';
import { slots } from '../../app/deps/slots.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { slotRoutes } from '../../app/routes/slots.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = slotRoutes;
export const handler = httpFunction({
  group: 'slots',
  routes,
  deps: { slots, branches, readModels },
});
