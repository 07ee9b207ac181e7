/** Reports: a branch's daily sales, from the read side (eventual). */

import * as z from '@coffee-es/aws-lambda/schema';
import { salesOf } from '../../projections/dailySales.ts';
import { branches } from '../deps/branches.ts';
import type { DepMakers } from '../deps/compose.ts';
import { readModels } from '../deps/readModels.ts';
import { staffOnly } from './access.ts';
import { id, notFound, route } from './shared.ts';
import * as views from './views.ts';

const params = z.object({ branchId: id });

export const reportRoutes = [
  route({
    method: 'GET',
    path: '/branches/{branchId}/sales',
    operationId: 'dailySales',
    returns: views.salesView,
    access: staffOnly,
    group: 'reports',
    summary: "A branch's payments and refunds on one UTC date (eventual)",
    params,
    query: z.object({
      date: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
    }),
    responses: { 200: 'Sales' },
    handle: async ({ params: { branchId }, query }, deps) => {
      if (!(await deps.branches.get(branchId))) {
        throw notFound('branch', branchId);
      }
      return { status: 200, body: await salesOf(deps.readModels, branchId, query.date) };
    },
  }),
];

/** The makers of what this group's routes use (its function is given these alone). */
export const deps: DepMakers = { branches, readModels };
