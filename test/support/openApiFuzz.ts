/**
 * Fuzz cases generated from the OpenAPI document: for each operation, requests with random JSON
 * shapes, wrong types, out-of-range, huge and deep values, unicode (lone surrogates included),
 * wrong content types, ids with forbidden characters and malformed percent-escapes. What the
 * generators cannot express (a valid request by chance) the property allows: it asks only that
 * no answer is a 5xx and that rejected input writes nothing.
 */
import fc from 'fast-check';
import { invalidBody, type Schema, validValue } from './jsonFuzz.ts';

export interface Operation {
  readonly method: string;
  /** OpenAPI syntax: `/orders/{orderId}`. */
  readonly path: string;
  readonly operationId: string;
  readonly pathParams: readonly string[];
  readonly query: readonly { name: string; required: boolean; schema: Schema }[];
  readonly body: Schema | undefined;
  readonly idempotent: boolean;
  readonly statuses: readonly number[];
}

export interface FuzzRequest {
  readonly method: string;
  /** As sent on the wire: escapes (good and bad) untouched. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

export function operationsOf(doc: Schema): Operation[] {
  return Object.entries(doc.paths as Record<string, Schema>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]: [string, Schema]) => {
      const parameters = (op.parameters ?? []) as Schema[];
      return {
        method: method.toUpperCase(),
        path,
        operationId: op.operationId as string,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name as string),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema,
        idempotent: parameters.some((p) => p.name === 'Idempotency-Key'),
        statuses: Object.keys(op.responses ?? {}).map(Number),
      };
    }),
  );
}

/** UTF-8 percent-encoding that also encodes lone surrogates (as the invalid bytes they become). */
function wireEncode(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (/^[A-Za-z0-9_-]$/.test(ch)) out += ch;
    else if (code >= 0xd800 && code <= 0xdfff)
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    else
      out += [...Buffer.from(ch, 'utf8')]
        .map((b) => `%${b.toString(16).padStart(2, '0')}`)
        .join('');
  }
  return out.toUpperCase();
}

const badEscape = fc.constantFrom(
  '%',
  '%Z',
  '%ZZ',
  '%E0%A4%A',
  '%C3%28',
  '%ED%A0%80',
  '%FF',
  '%2',
  'a%',
);
/** Characters a raw path segment may carry that ids forbid. */
const rawForbidden = fc.constantFrom(
  '.',
  '~',
  '!',
  '*',
  "'",
  '(',
  ')',
  ':',
  '@',
  ',',
  ';',
  '=',
  '+',
  '$',
  '..',
);

/** A path segment as sent: a bad id, a bad escape, or (sometimes) one of the seeded real ids. */
export function segment(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map(wireEncode),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9]{0,8}$/), badEscape).map(([a, b]) => a + b),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), rawForbidden)
        .map(([a, b]) => a + b),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{65,90}$/) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
    { weight: 2, arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.constant('x') },
  );
}

/** Bodies no schema can accept: deep, huge, not UTF-8, not JSON. */
const rawBodies = fc.oneof(
  fc.integer({ min: 500, max: 20_000 }).map((d) => Buffer.from(`${'['.repeat(d)}${']'.repeat(d)}`)),
  fc
    .integer({ min: 500, max: 5_000 })
    .map((d) => Buffer.from(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`)),
  fc.constant(Buffer.from(JSON.stringify({ name: 'x'.repeat(70_000), city: 'c' }))),
  fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
  fc.string({ unit: 'binary', maxLength: 50 }).map((s) => Buffer.from(s)),
  fc
    .constantFrom('{"a":', '{"a":1}}', "{'a':1}", 'nul', '1e999999', '"\\ud800"')
    .map((s) => Buffer.from(s)),
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  '',
);

const badHeaders = fc.record(
  {
    'if-match': fc.constantFrom('W/"1"', 'abc', '"-1"', '"99999999999999999999"', '*', ''),
    'idempotency-key': fc.constantFrom('', 'k'.repeat(129), 'key with spaces', 'é', '\t'),
  },
  { requiredKeys: [] },
);

/** One fuzzed request for an operation; `real` are ids that exist, to hit real entities too. */
export function fuzzRequest(op: Operation, real: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const params = fc.tuple(...op.pathParams.map(() => segment(real)));
  const query = fc.option(
    fc.array(
      fc.tuple(
        fc.constantFrom(...op.query.map((q) => q.name), 'x', 'after', 'limit'),
        fc.oneof(segment([]), fc.constantFrom('-1', '1e3', '', '2026-13-45')),
      ),
      { maxLength: 3 },
    ),
    { nil: undefined },
  );
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  const body = hasBody
    ? fc.oneof(
        {
          weight: 4,
          arbitrary: invalidBody(op.body).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
        },
        { weight: 1, arbitrary: rawBodies },
      )
    : fc.option(rawBodies, { nil: undefined, freq: 4 });
  return fc
    .record({ params, query, body, contentType: contentTypes, headers: badHeaders })
    .map((c) => {
      let path = op.path;
      op.pathParams.forEach((name, i) => {
        path = path.replace(`{${name}}`, c.params[i] ?? '');
      });
      const qs = c.query?.map(([k, v]) => `${k}=${v}`).join('&');
      return {
        method: op.method,
        path: qs ? `${path}?${qs}` : path,
        headers: {
          ...c.headers,
          ...(c.contentType === '' ? {} : { 'content-type': c.contentType }),
        },
        body: c.body,
      };
    });
}

/** A valid body for an operation, for the fault runs. */
export const validBody = (op: Operation): fc.Arbitrary<unknown> => validValue(op.body ?? {});
