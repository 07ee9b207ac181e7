/** The OpenAPI document functions serve is the one the route declarations make today. */
import { readFile } from 'node:fs/promises';
import type { Route } from '@coffee-es/aws-lambda';
import { describe, expect, it } from 'vitest';
import { coffeeOpenApi, openApiFile, openApiText } from '../../functions/app/openapi.ts';
import { system } from '../../functions/app/system.ts';

describe('functions/app/openapi.json', () => {
  it('is up to date with the routes (run `npm run generate` after changing one)', async () => {
    const expected = openApiText(coffeeOpenApi(system.routes as readonly Route<never>[]));
    expect(await readFile(openApiFile, 'utf8')).toBe(expected);
  });
});
