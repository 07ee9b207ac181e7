/**
 * The OpenAPI 3.1 document, generated from the route declarations: their schemas (path
 * parameters with the patterns the routes really accept), who may call them (`securitySchemes`
 * and per-operation `security`), and what they answer (bodies, `ETag`, problems).
 */
import type * as z from '../schema.ts';
import { jsonSchemaOf, problemSchema, responsesOf } from './openapiResponses.ts';
import type { Route } from './route.ts';

/** The `info` object of the OpenAPI document. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: { readonly name: string; readonly identifier?: string };
}

/** Options of the OpenAPI document: where the API is served. */
export interface OpenApiOptions {
  /** Where the API is served; default `/`, the server that serves the document. */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
}

/** The name of the bearer-token scheme in `components.securitySchemes`. */
export const bearerScheme = 'bearerJwt';

/**
 * The OpenAPI 3.1 document of routes: paths, parameters and bodies from their schemas, security
 * from their access (bearer scopes per operation), and what they answer (bodies, `ETag`,
 * problems). Generate it at build time so that functions do not ship the schema generator.
 *
 * @example
 * ```ts
 * const document = openApiDocument(system.routes, { title: 'Coffee', version: '1.0.0' });
 * writeFileSync('openapi.json', JSON.stringify(document, null, 2));
 * ```
 */
export function openApiDocument(
  routes: readonly Route<never>[],
  info: OpenApiInfo,
  options: OpenApiOptions = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters = [
      ...pathParameters(route),
      ...queryParameters(route.query),
      ...(route.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Scoped to the caller, method and path: a repeat answers as the first',
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
            },
          ]
        : []),
      ...(route.method !== 'GET'
        ? [
            {
              name: 'If-Match',
              in: 'header',
              required: false,
              description: 'The ETag of the version this change expects (strong comparison)',
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.group],
      security: securityOf(route),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchemaOf(route.body) } },
            },
          }
        : {}),
      responses: responsesOf(route),
    };
  }
  const groups = [...new Set(routes.map((r) => r.group))];
  return {
    openapi: '3.1.0',
    info,
    servers: options.servers ?? [{ url: '/', description: 'The server that serves this document' }],
    tags: groups.map((name) => ({ name, description: `Routes of the ${name} group` })),
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        [bearerScheme]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT from the configured issuer; its `scope` (or `scp`) claim names what it may do.',
        },
      },
    },
  };
}

/** Public routes need nothing; the others one of their scopes (any one suffices). */
function securityOf(route: Route<never>): Record<string, string[]>[] {
  return route.access.kind === 'public' ? [] : [{ [bearerScheme]: [...route.access.scopes] }];
}

function pathParameters(route: Route<never>): Record<string, unknown>[] {
  const declared = route.params ? propertiesOf(route.params) : {};
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: declared.properties?.[name as string] ?? { type: 'string' },
  }));
}

function queryParameters(query: z.ZodMiniType | undefined): Record<string, unknown>[] {
  if (!query) return [];
  const json = propertiesOf(query);
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}

const propertiesOf = (schema: z.ZodMiniType) =>
  jsonSchemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
