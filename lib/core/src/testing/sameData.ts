/**
 * Structural equality for the plain data events, commands and states are made of (primitives,
 * arrays, plain objects, dates), and the failure a test runner shows as a diff. Written here
 * rather than taken from `node:assert` because the core imports no Node module.
 */

export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameData(item, other[i]));
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && sameData(aRecord[key], bRecord[key]));
}

/** An assertion failure with `actual` and `expected`, which test runners (vitest, node:test) diff. */
export class SpecificationFailure extends Error {
  override readonly name = 'AssertionError';
  readonly showDiff: boolean;
  readonly actual: unknown;
  readonly expected: unknown;
  constructor(
    message: string,
    compared?: { readonly actual: unknown; readonly expected: unknown },
  ) {
    super(message);
    this.showDiff = compared !== undefined;
    this.actual = compared?.actual;
    this.expected = compared?.expected;
  }
}

export function expectSame(actual: unknown, expected: unknown, message: string): void {
  if (!sameData(actual, expected)) throw new SpecificationFailure(message, { actual, expected });
}

export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SpecificationFailure(message);
}
