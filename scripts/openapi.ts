/**
 * `npm run openapi`: writes what functions read instead of the route declarations, from them:
 * functions/app/routes/openapi.json (the OpenAPI document) and functions/app/routeTable.ts (method
 * and path of every route, for the `$default` route's 404 or 405).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Route } from '@coffee-es/aws-lambda';
import { coffeeOpenApi, openApiFile, openApiText } from '../functions/app/openapi.ts';
import { routeTableFile, routeTableText } from '../functions/app/routeTableText.ts';
import { system } from '../functions/app/system.ts';

await writeFile(openApiFile, openApiText(coffeeOpenApi(system.routes as readonly Route<never>[])));
console.log(`Wrote ${fileURLToPath(openApiFile)}`);
await writeFile(routeTableFile, routeTableText(system.routes));
console.log(`Wrote ${fileURLToPath(routeTableFile)}`);
