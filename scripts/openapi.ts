/** `npm run openapi`: writes functions/app/openapi.json from the route declarations. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { coffeeOpenApi, openApiFile, openApiText } from '../functions/app/openapi.ts';
import { system } from '../functions/app/system.ts';
import type { Route } from '../lib/http/route.ts';

await writeFile(openApiFile, openApiText(coffeeOpenApi(system.routes as readonly Route<never>[])));
console.log(`Wrote ${fileURLToPath(openApiFile)}`);
