/**
 * JSON values for fuzzing, driven by JSON Schema: valid values of simple schemas, values that
 * break a schema in one place, and junk of any shape (lone surrogates included).
 */
import fc from 'fast-check';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema documents are read loosely.
export type Schema = Record<string, any>;

export const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('\ud800', 'a\udc00b', '\u0000', '\u202e', 'é'.repeat(101), ' '),
);
/** Random JSON shapes: anything JSON can carry, lone surrogates included. */
const anyJson = fc.jsonValue({ maxDepth: 4 }).chain((v) =>
  fc.oneof(
    fc.constant(v),
    anyString.map((s) => [v, s]),
  ),
);

/** A valid value for simple schemas (the mutations below break one part of it). */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as Schema[]).map(validValue));
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      return fc.record(
        Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s)])),
        { requiredKeys: Object.keys(props).filter((k) => required.has(k)) },
      );
    }
    case 'array':
      return fc.array(validValue(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringFor(schema);
    default:
      return anyJson;
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'email') return fc.constantFrom('ana@example.com', 'bo@coffee.io');
  if (schema.pattern === '^[A-Za-z0-9_-]{1,64}$') return fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 20, 20),
  });
}

/** A value that breaks `schema`: the wrong type, out of range, too long, or junk. */
function wrongValue(schema: Schema): fc.Arbitrary<unknown> {
  const wrongTypes = fc.constantFrom<unknown>(
    null,
    true,
    1.5,
    -1,
    '1',
    [],
    {},
    '',
    'x'.repeat(300),
    1e308,
  );
  const outOfRange: fc.Arbitrary<unknown>[] = [];
  if (schema.type === 'integer' || schema.type === 'number') {
    if (schema.minimum !== undefined)
      outOfRange.push(fc.integer({ max: schema.minimum - 1, min: schema.minimum - 1e6 }));
    if (schema.maximum !== undefined)
      outOfRange.push(fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1e6 }));
    outOfRange.push(fc.constantFrom(0.5, Number.MAX_SAFE_INTEGER + 2));
  }
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined)
      outOfRange.push(fc.constant('y'.repeat(schema.maxLength + 1)));
    if ((schema.minLength ?? 0) > 0) outOfRange.push(fc.constant(''));
    outOfRange.push(anyString.filter((s) => s.length > 0 && !/^[A-Za-z0-9_-]+$/.test(s)));
  }
  if (schema.type === 'array' && schema.maxItems !== undefined) {
    outOfRange.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, () => ({}))));
  }
  return outOfRange.length > 0 ? fc.oneof(wrongTypes, ...outOfRange) : wrongTypes;
}

/** A body that breaks the schema in one place, or junk of any shape. */
export function invalidBody(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const junk = fc.oneof(anyJson, fc.constantFrom<unknown>(null, [], 0, 'text', true));
  if (schema?.type !== 'object' || Object.keys(schema.properties ?? {}).length === 0) {
    return junk;
  }
  const props = Object.keys(schema.properties as object);
  const properties = schema.properties as Record<string, Schema>;
  const required = ((schema.required ?? []) as string[]).filter((k) => k in properties);
  const wrongField = fc
    .tuple(validValue(schema), fc.constantFrom(...props))
    .chain(([valid, key]) =>
      wrongValue(properties[key] ?? {}).map((v) => ({ ...(valid as object), [key]: v })),
    );
  const missingField =
    required.length === 0
      ? wrongField
      : fc.tuple(validValue(schema), fc.constantFrom(...required)).map(([valid, key]) => {
          const { [key]: _missing, ...rest } = valid as Record<string, unknown>;
          return rest;
        });
  const broken = fc.oneof(wrongField, missingField);
  return fc.oneof({ weight: 3, arbitrary: broken }, { weight: 1, arbitrary: junk });
}
