/** Health, projection status and the OpenAPI document. */

import { openApiDocument } from '../../../lib/http/openapi.ts';
import type { Route } from '../../../lib/http/route.ts';
import type { AppDeps } from '../deps.ts';
import { open, staffOnly } from './access.ts';
import { route } from './shared.ts';
import * as views from './views.ts';

export function operationRoutes(allRoutes: () => readonly Route<AppDeps>[]) {
  let document: Record<string, unknown> | undefined;
  return [
    route({
      method: 'GET',
      path: '/health',
      operationId: 'health',
      returns: views.healthView,
      access: open,
      group: 'operations',
      summary: 'Liveness',
      responses: { 200: 'ok' },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    route({
      method: 'GET',
      path: '/projections',
      operationId: 'projections',
      returns: views.projectionsView,
      access: staffOnly,
      group: 'operations',
      summary: 'Position, lag and counts of every projection',
      responses: { 200: 'Projections' },
      handle: async (_request, deps) => ({
        status: 200,
        body: { projections: await deps.readModels.projectionStatus() },
      }),
    }),
    route({
      method: 'GET',
      path: '/openapi.json',
      operationId: 'openApi',
      returns: views.documentView,
      access: open,
      group: 'operations',
      summary: 'This API as an OpenAPI 3.1 document',
      responses: { 200: 'The document' },
      handle: async () => {
        document ??= openApiDocument(allRoutes() as readonly Route<never>[], {
          title: 'Coffee franchise',
          version: '1.0.0',
          description: 'Branches, customers, orders, pickup slots and sales reports.',
          // Not licensed to others (package.json is private): an SPDX reference of our own.
          license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        });
        return { status: 200, body: document };
      },
    }),
  ];
}
