/**
 * RFC 7807 problem responses. Typed framework errors map to precise statuses; anything else is a
 * 500 that says only `internal-error`.
 */
import {
  AmbiguousWriteError,
  CommandRejectedError,
  CommitTooLargeError,
  ConcurrencyError,
  FrameworkError,
  IdempotencyKeyReusedError,
  type RejectionKind,
  RevisionConflictError,
  StoreUnavailableError,
  UnknownOutcomeError,
  VersionMismatchError,
} from '@coffee-es/core';

/** One invalid field of a request, in a 400 problem's `errors`. */
export interface FieldError {
  /** JSON Pointer into the request body (`/items/0/quantity`), or `''` for the whole body. */
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem document, as every error answer carries it, with a stable `code`. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
}

const titles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An HTTP answer other than success, thrown anywhere below the error middleware, which answers
 * it as a problem document with its status, code, detail, field errors and headers.
 *
 * @example
 * ```ts
 * if (!branch) throw new HttpProblem(404, 'branch-not-found', `No branch ${branchId}`);
 * ```
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: {
      errors?: readonly FieldError[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get body(): ProblemBody {
    return {
      type: `/problems/${this.code}`,
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/**
 * The one place refusals meet HTTP: each kind an entity declares for its codes answers with one
 * status. What the request addresses being missing answers the general `not-found` (as an unknown
 * route does); a missing reference keeps its own code, so the caller knows which one.
 */
export const rejectionStatuses = {
  'not-found': 404,
  'reference-not-found': 404,
  conflict: 409,
} as const satisfies Readonly<Record<RejectionKind, number>>;

/** The problem a refusal answers with, by the kind its entity declared. */
export function rejectionProblem(error: CommandRejectedError): HttpProblem {
  const kind = error.rejectionKind;
  const code = kind === 'not-found' ? 'not-found' : error.code;
  return new HttpProblem(rejectionStatuses[kind], code, error.message, { cause: error });
}

/**
 * Maps any error to the problem to answer with; undefined for errors that are our bugs.
 * @internal
 */
export function problemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  // A write whose outcome is unknown (durable state, idempotency records) is safe to repeat.
  if (error instanceof AmbiguousWriteError) return unavailable(error);
  if (!(error instanceof FrameworkError)) return undefined;
  if (error instanceof CommandRejectedError) return rejectionProblem(error);
  if (error instanceof VersionMismatchError) {
    return new HttpProblem(412, error.code, 'The entity has changed since that version', {
      cause: error,
    });
  }
  if (error instanceof ConcurrencyError || error instanceof RevisionConflictError) {
    return new HttpProblem(
      409,
      'concurrent-modification',
      'Too many concurrent changes; try again',
      {
        cause: error,
        headers: { 'retry-after': '1' },
      },
    );
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return new HttpProblem(422, error.code, 'This Idempotency-Key was used with another request', {
      cause: error,
    });
  }
  if (error instanceof CommitTooLargeError) {
    return new HttpProblem(413, 'payload-too-large', 'The change is too large to store', {
      cause: error,
    });
  }
  if (error instanceof StoreUnavailableError || error instanceof UnknownOutcomeError) {
    return unavailable(error);
  }
  return undefined;
}

const unavailable = (cause: unknown): HttpProblem =>
  new HttpProblem(503, 'unavailable', 'The service is busy; try again shortly', {
    cause,
    headers: { 'retry-after': '1' },
  });

export const internalError = (): HttpProblem =>
  new HttpProblem(500, 'internal-error', 'Something went wrong on our side');
