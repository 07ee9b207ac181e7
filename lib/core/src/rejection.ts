/**
 * A business-rule refusal returned by `decide`. It is a value, not an exception, so deciders stay
 * total functions and tests can compare it directly.
 */
export interface Rejection {
  readonly kind: 'rejection';
  /** Stable, machine-readable, kebab-case: `insufficient-points`. */
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Builds a {@link Rejection}.
 *
 * @example
 * ```ts
 * if (state.points < command.data.points) return reject('insufficient-points', 'Not enough points');
 * ```
 */
export function reject(
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Rejection {
  return details === undefined
    ? { kind: 'rejection', code, message }
    : { kind: 'rejection', code, message, details };
}

/** Tells a rejection returned by `decide` from an event or a list of events. */
export function isRejection(value: unknown): value is Rejection {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'rejection'
  );
}
