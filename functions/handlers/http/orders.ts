/** The orders route group's function (declared in functions/app/system.ts): its routes only. */

import { branches } from '../../app/deps/branches.ts';
import { customers } from '../../app/deps/customers.ts';
import { known } from '../../app/deps/known.ts';
import { orders } from '../../app/deps/orders.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { orderRoutes } from '../../app/routes/orders.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = orderRoutes;
export const handler = httpFunction({
  group: 'orders',
  routes,
  deps: { orders, known, branches, customers },
});
