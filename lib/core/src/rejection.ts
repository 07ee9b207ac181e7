/**
 * A business-rule refusal returned by `decide`. It is a value, not an exception, so deciders stay
 * total functions and tests can compare it directly.
 */
export interface Rejection<Code extends string = string> {
  readonly kind: 'rejection';
  /** Stable, machine-readable, kebab-case: `insufficient-points`. */
  readonly code: Code;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * What a refusal means to a caller, whatever the transport. The HTTP edge maps each kind to one
 * status, in one place; the entity only says which kind each of its codes is.
 * - `not-found`: the entity or item the request addresses does not exist;
 * - `reference-not-found`: something the command refers to (another entity) does not exist;
 * - `conflict`: a business rule or the entity's state refuses the command.
 */
export const rejectionKinds = ['not-found', 'reference-not-found', 'conflict'] as const;
/** What a declared rejection means to a caller; the HTTP edge maps each kind to one status. */
export type RejectionKind = (typeof rejectionKinds)[number];

/** An entity's refusals: each code it may reject with, and its kind. */
export type RejectionDeclarations<Code extends string = string> = {
  readonly [K in Code]: RejectionKind;
};

/** The codes a declaration names. */
export type RejectionCode<R extends RejectionDeclarations> = keyof R & string;

/** The kind of a refusal whose code nobody declared: a state conflict. */
export const undeclaredRejectionKind: RejectionKind = 'conflict';

/** The declared kind of `code`, or the kind of an undeclared one. */
export function rejectionKindOf(
  declarations: RejectionDeclarations | undefined,
  code: string,
): RejectionKind {
  if (declarations === undefined || !Object.hasOwn(declarations, code)) {
    return undeclaredRejectionKind;
  }
  return declarations[code] ?? undeclaredRejectionKind;
}

/**
 * Builds a {@link Rejection}. Within a decider typed against an entity's declared codes
 * (`Decision<E, Code>`), a code the entity does not declare is a type error.
 *
 * @example
 * ```ts
 * if (state.points < command.data.points) return reject('insufficient-points', 'Not enough points');
 * ```
 */
export function reject<const Code extends string>(
  code: Code,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Rejection<Code> {
  return details === undefined
    ? { kind: 'rejection', code, message }
    : { kind: 'rejection', code, message, details };
}

/**
 * Declares an entity's refusals once: the declarations go on the entity (`rejections`), and the
 * returned `reject` accepts only their codes, so a typo is a type error at the call.
 *
 * @example
 * ```ts
 * const orderRejections = declareRejections({
 *   'order-not-found': 'not-found',
 *   'invalid-transition': 'conflict',
 * });
 * orderRejections.reject('invalid-transition', 'Cannot pay a collected order');
 * // orderRejections.reject('invalid-transtion', '…') does not compile
 * ```
 */
export function declareRejections<const R extends RejectionDeclarations>(
  declarations: R,
): {
  readonly declarations: R;
  readonly reject: (
    code: RejectionCode<R>,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) => Rejection<RejectionCode<R>>;
} {
  return { declarations, reject };
}

/** Tells a rejection returned by `decide` from an event or a list of events. */
export function isRejection(value: unknown): value is Rejection {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'rejection'
  );
}
