/** The orders route group's function (declared in functions/app/system.ts): its routes only. */
import { httpFunction } from '../../app/httpFunction.ts';
import { orderRoutes } from '../../app/routes/orders.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = orderRoutes;
export const handler = httpFunction({ group: 'orders', routes });
