/** Health, projection status and the OpenAPI document. */
import { readFile } from 'node:fs/promises';

import { projectionStatuses } from '@coffee-es/core';
import { readSide } from '../../projections/index.ts';
import type { DepMakers } from '../deps/compose.ts';
import { readModels } from '../deps/readModels.ts';
import { open, staffOnly } from './access.ts';
import { route } from './shared.ts';
import * as views from './views.ts';

/**
 * Written by `npm run generate` (functions/app/openapi.ts) beside this module, and shipped beside the
 * bundle (the operations group's `files`): read at the first request, never bundled.
 */
const documentFile = new URL('./openapi.json', import.meta.url);
let document: Promise<unknown> | undefined;

export function operationRoutes() {
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
        body: { projections: await projectionStatuses(deps.readModels, readSide.projections) },
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
        document ??= readFile(documentFile, 'utf8').then((text) => JSON.parse(text));
        return { status: 200, body: await document };
      },
    }),
  ];
}

/** The makers of what this group's routes use (its function is given these alone). */
export const deps: DepMakers = { readModels };
