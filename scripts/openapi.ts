/** `npm run openapi`: writes functions/app/openapi.json from the route declarations. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Route } from '@coffee-es/aws-lambda';
import { coffeeOpenApi, openApiFile, openApiText } from '../functions/app/openapi.ts';
import { system } from '../functions/app/system.ts';

await writeFile(openApiFile, openApiText(coffeeOpenApi(system.routes as readonly Route<never>[])));
console.log(`Wrote ${fileURLToPath(openApiFile)}`);
