/** Branches: durable state, replaced whole under a revision (their daily sales: reports.ts). */

import * as z from '@coffee-es/aws-lambda/schema';
import { branchView } from '../../domain/branches.ts';
import { branches } from '../deps/branches.ts';
import type { DepMakers } from '../deps/compose.ts';
import { anyCaller, staffOnly } from './access.ts';
import { id, notFound, route, text } from './shared.ts';
import * as views from './views.ts';

const params = z.object({ branchId: id });

export const branchRoutes = [
  route({
    method: 'PUT',
    path: '/branches/{branchId}',
    operationId: 'putBranch',
    returns: views.branchView,
    etag: true,
    access: staffOnly,
    group: 'branches',
    summary: 'Create or replace a branch',
    params,
    body: z.object({ name: text(1, 100), city: text(1, 100) }),
    responses: { 200: 'Updated', 201: 'Created' },
    handle: async ({ params: { branchId }, body, ifMatch }, deps) => {
      const result = await deps.branches.update(
        branchId,
        () => ({ name: body.name, city: body.city }),
        ifMatch === undefined ? {} : { expectedRevision: ifMatch },
      );
      return {
        status: result.created ? 201 : 200,
        body: branchView(branchId, result.state, result.revision),
        etag: result.revision,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/branches/{branchId}',
    operationId: 'getBranch',
    returns: views.branchView,
    etag: true,
    access: anyCaller,
    group: 'branches',
    summary: 'A branch, consistent',
    params,
    responses: { 200: 'The branch' },
    handle: async ({ params: { branchId } }, deps) => {
      const found = await deps.branches.get(branchId, { consistent: true });
      if (!found) throw notFound('branch', branchId);
      return {
        status: 200,
        body: branchView(branchId, found.state, found.revision),
        etag: found.revision,
      };
    },
  }),
];

/** The makers of what this group's routes use (its function is given these alone). */
export const deps: DepMakers = { branches };
