/**
 * The route table (routeTable.ts): method and path of every route, for the function that answers
 * the API's `$default` route. `npm run generate` writes it from the route declarations, so that
 * the function need not import them; a spec keeps it equal to the routes.
 */
import type { Route } from '@coffee-es/aws-lambda';

export const routeTableFile = new URL('./routeTable.ts', import.meta.url);

/** The module's text, one route a line (as Biome formats it, so that the check passes). */
export function routeTableText(routes: readonly Pick<Route, 'method' | 'path'>[]): string {
  const rows = routes.map((route) => `  { method: '${route.method}', path: '${route.path}' },\n`);
  return [
    '/** Written by `npm run generate` from the route declarations (routeTableText.ts): do not edit. */\n',
    "import type { Route } from '@coffee-es/aws-lambda';\n",
    '\n',
    "export const routeTable: readonly Pick<Route, 'method' | 'path'>[] = [\n",
    ...rows,
    '];\n',
  ].join('');
}
