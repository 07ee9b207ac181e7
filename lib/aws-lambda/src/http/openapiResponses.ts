/**
 * The answers the OpenAPI document lists for an operation: the route's own, and those the edge
 * gives any route of its kind (401/403 where a token is needed, 400 where input is read, 412 for
 * If-Match, 422 for Idempotency-Key, 429 from the gateway's rate limits, 503 from the store).
 */
import * as z from '../schema.ts';
import { rejectionStatuses } from './problem.ts';
import type { Route } from './route.ts';

export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable, machine-readable' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'JSON Pointer into the body' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

/** A zod schema as JSON Schema (draft 2020-12, as OpenAPI 3.1 uses), without `$schema`. */
export function jsonSchemaOf(
  schema: z.ZodMiniType,
  io: 'input' | 'output' = 'input',
): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return json;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** What the edge itself may answer on a route, besides what the route declares. */
function edgeAnswers(route: Route<never>): Record<number, string> {
  const reads = route.params !== undefined || route.body !== undefined || route.query !== undefined;
  const command = route.method !== 'GET';
  const token = route.access.kind === 'token';
  return {
    ...(reads || command ? { 400: 'validation-failed or malformed-json' } : {}),
    ...(token ? { 401: 'unauthorized: no valid bearer token' } : {}),
    ...(token ? { 403: 'forbidden: a scope is missing, or this belongs to someone else' } : {}),
    ...(route.path.includes('{') ? { 404: 'not-found' } : {}),
    ...(command ? { 412: 'version-mismatch: If-Match names another version' } : {}),
    ...(route.body ? { 413: 'payload-too-large', 415: 'unsupported-media-type' } : {}),
    ...(route.idempotent ? { 422: 'idempotency-key-reused' } : {}),
    ...(token ? { 503: 'unavailable: try again after Retry-After' } : {}),
  };
}

/**
 * The refusals a route declares, by the status their kind answers with (the edge's own mapping):
 * `409: 'amount-mismatch, invalid-transition'`. A missing addressed thing answers `not-found`.
 */
export function rejectionAnswers(route: Pick<Route<never>, 'rejections'>): Record<number, string> {
  const codes = new Map<number, Set<string>>();
  for (const [code, kind] of Object.entries(route.rejections ?? {})) {
    const status = rejectionStatuses[kind];
    const set = codes.get(status) ?? new Set<string>();
    set.add(kind === 'not-found' ? 'not-found' : code);
    codes.set(status, set);
  }
  return Object.fromEntries([...codes].map(([status, set]) => [status, [...set].join(', ')]));
}

/** What the edge and the route's declared refusals may answer, joined by status. */
function generatedAnswers(route: Route<never>): Record<number, string> {
  const answers: Record<number, string> = { ...edgeAnswers(route) };
  for (const [status, codes] of Object.entries(rejectionAnswers(route))) {
    const edge = answers[Number(status)];
    const extra = codes.split(', ').filter((code) => !edge?.split(', ').includes(code));
    answers[Number(status)] = [edge, ...extra].filter((part) => part).join(', ');
  }
  return answers;
}

/** The `responses` object of a route's operation. */
export function responsesOf(route: Route<never>): Record<string, unknown> {
  const generated = generatedAnswers(route);
  const declared = Object.entries(route.responses).map(([status, description]) => {
    const known = generated[Number(status)];
    return [status, known && known !== description ? `${description}; ${known}` : description];
  });
  const statuses = new Map<string, string>([
    ...Object.entries(generated),
    ...(declared as [string, string][]),
  ]);
  const responses: Record<string, unknown> = {};
  for (const [status, description] of [...statuses].sort(([a], [b]) => Number(a) - Number(b))) {
    responses[status] = Number(status) >= 400 ? problem(description) : success(route, description);
  }
  // The gateway's rate limits answer before any function runs, in its own format.
  responses[429] = {
    description: 'Throttled by the gateway (stage rate limits); not problem+json',
    content: {
      'application/json': {
        schema: { type: 'object', properties: { message: { type: 'string' } } },
      },
    },
  };
  return responses;
}

function success(route: Route<never>, description: string): Record<string, unknown> {
  const headers = {
    ...(route.etag
      ? {
          ETag: {
            description: 'The entity version or revision, quoted: send it back in If-Match',
            schema: { type: 'string', pattern: '^"[0-9]+"$' },
          },
        }
      : {}),
    ...(route.personalData
      ? {
          'Cache-Control': {
            description: 'Personal data: no cache keeps it',
            schema: { type: 'string', const: 'no-store' },
          },
        }
      : {}),
  };
  return {
    description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      'application/json': { schema: route.returns ? jsonSchemaOf(route.returns, 'output') : {} },
    },
  };
}
