/**
 * The API's OpenAPI document, built from the route declarations. Functions do not build it (the
 * schema generator would ship in every route group's bundle): `npm run generate` writes it to
 * `routes/openapi.json`, shipped beside the operations function's bundle (not in it) and read by
 * `GET /openapi.json`; a spec keeps it equal to the routes.
 */

import type { Route } from '@coffee-es/aws-lambda';
import { openApiDocument } from '@coffee-es/aws-lambda';

export const openApiFile = new URL('./routes/openapi.json', import.meta.url);

export function coffeeOpenApi(routes: readonly Route<never>[]): Record<string, unknown> {
  return openApiDocument(routes, {
    title: 'Coffee franchise',
    version: '1.0.0',
    description: 'Branches, customers, orders, pickup slots and sales reports.',
    // Not licensed to others (package.json is private): an SPDX reference of our own.
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
  });
}

/** The file's text: stable, so that a change of the document is a change of the file. */
export const openApiText = (document: Record<string, unknown>) =>
  `${JSON.stringify(document, null, 2)}\n`;
