/**
 * Turns an API Gateway (HTTP API, payload 2.0) event into validated input, in the contract's
 * order: 415, 413, 400 malformed JSON, 400 validation.
 */
import { Buffer } from 'node:buffer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from '../schema.ts';
import { type FieldError, HttpProblem } from './problem.ts';
import type { Route } from './route.ts';

export interface ParsedInput {
  readonly params: unknown;
  readonly body: unknown;
  readonly query: unknown;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly ifMatch: number | undefined;
  readonly idempotencyKey: string | undefined;
  /** The body as received (after base64 decoding), for fingerprints. */
  readonly rawBody: string;
}

export const defaultMaxBodyBytes = 64 * 1024;

export function parseRequest(
  route: Route<never>,
  event: APIGatewayProxyEventV2,
  maxBodyBytes = defaultMaxBodyBytes,
): ParsedInput {
  const headers = lowerCaseKeys(event.headers ?? {});
  const rawBody = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  const hasBody = rawBody.trim().length > 0;
  if (hasBody && !isJson(headers['content-type'])) {
    throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as application/json');
  }
  if (Buffer.byteLength(rawBody, 'utf8') > maxBodyBytes) {
    throw new HttpProblem(413, 'payload-too-large', `The body is over ${maxBodyBytes} bytes`);
  }
  let json: unknown;
  if (hasBody) {
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new HttpProblem(400, 'malformed-json', 'The body is not valid JSON');
    }
  }
  checkEscapes(event);
  const params = validate(route.params, event.pathParameters ?? {}, 'path');
  // A `null` (or any non-object) body is not "no body": the body schema refuses it.
  const body = route.body ? validate(route.body, hasBody ? json : {}, 'body') : undefined;
  const query = validate(route.query, event.queryStringParameters ?? {}, 'query');
  return {
    params,
    body,
    query,
    headers,
    ifMatch: parseIfMatch(headers['if-match']),
    idempotencyKey: parseIdempotencyKey(route, headers['idempotency-key']),
    rawBody,
  };
}

function validate(schema: z.ZodMiniType | undefined, input: unknown, where: string): unknown {
  if (!schema) return input;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: pointer(where === 'body' ? issue.path : [where, ...issue.path]),
    message: issue.message,
  }));
  throw new HttpProblem(400, 'validation-failed', `The request ${where} is invalid`, { errors });
}

/**
 * A malformed percent-escape (`%ZZ`, a lone `%`, bytes that are not UTF-8) in the path or the
 * query is the client's mistake: 400, whatever the gateway made of it in the parameters.
 */
function checkEscapes(event: APIGatewayProxyEventV2): void {
  const errors: FieldError[] = [];
  if (!decodes(event.rawPath ?? '')) {
    errors.push({ path: '/path', message: 'the path holds a malformed percent-escape' });
  }
  const query = event.rawQueryString ?? '';
  if (query !== '' && !query.split('&').every((part) => decodes(part.replaceAll('+', ' ')))) {
    errors.push({ path: '/query', message: 'the query holds a malformed percent-escape' });
  }
  if (errors.length > 0) {
    throw new HttpProblem(400, 'validation-failed', 'The request URL is malformed', { errors });
  }
}

function decodes(component: string): boolean {
  try {
    decodeURIComponent(component);
    return true;
  } catch {
    return false;
  }
}

/** JSON Pointer (RFC 6901) of a validation issue path. */
function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || (type?.endsWith('+json') ?? false);
}

/**
 * The version an `If-Match` asks for. RFC 9110 (13.1.1) compares If-Match strongly: a weak tag
 * (`W/"3"`) or a tag we never send never matches, which answers 412 once the entity is known.
 */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const tags = entityTags(header);
  const strong = tags?.filter((tag) => !tag.weak && /^\d{1,15}$/.test(tag.opaque)) ?? [];
  if (!tags || tags.length === 0 || strong.length > 1) {
    throw new HttpProblem(400, 'validation-failed', 'If-Match must be an entity tag: "3"', {
      errors: [{ path: '', message: 'If-Match header must be one entity tag, like "3"' }],
    });
  }
  return strong[0] === undefined ? noVersionMatches : Number(strong[0].opaque);
}

/** An expected version no entity ever has: entity versions and revisions start at 1. */
export const noVersionMatches = -1;

/** `#entity-tag` of RFC 9110 (8.8.3), or undefined when the header is not one. */
function entityTags(header: string): { weak: boolean; opaque: string }[] | undefined {
  const tag = /\s*(W\/)?"([\x21\x23-\x7e\x80-\uffff]*)"\s*(,|$)/y;
  const tags: { weak: boolean; opaque: string }[] = [];
  while (tag.lastIndex < header.length) {
    const match = tag.exec(header);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
    if (match[3] === '') break;
  }
  return tags;
}

function parseIdempotencyKey(route: Route<never>, header: string | undefined): string | undefined {
  if (header === undefined || !route.idempotent) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new HttpProblem(
      400,
      'validation-failed',
      'Idempotency-Key must be 1-128 printable characters',
      {
        errors: [{ path: '', message: 'Idempotency-Key header is invalid' }],
      },
    );
  }
  return header;
}

function lowerCaseKeys(
  headers: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
