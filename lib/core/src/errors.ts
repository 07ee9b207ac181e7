/**
 * Typed errors of the framework. Each has a stable `code` (the contract adapters and the HTTP
 * edge rely on) and the context needed to act on it; `cause` is always passed on.
 *
 * Every error the packages throw on purpose extends `FrameworkError`. Those defined here reach
 * callers; the others live beside what raises them, as signals between the framework's parts:
 * `AppendConflict` and `AmbiguousWriteError` (journalErrors.ts: what a journal adapter reports,
 * which the stores turn into the errors below), `ProjectionGapError` (projection.ts: a record to
 * retry later), and `MalformedMessageError` in `@coffee-es/aws-lambda` (a message for the
 * dead-letter queue).
 */
import {
  type Rejection,
  type RejectionDeclarations,
  type RejectionKind,
  rejectionKindOf,
  undeclaredRejectionKind,
} from './rejection.ts';

/**
 * The base of the framework's errors: a stable `code` that adapters and the HTTP edge rely on
 * (checked by code, not by class, so that any adapter can throw them), whether a retry may
 * succeed, and the `cause` passed on.
 */
export abstract class FrameworkError extends Error {
  abstract readonly code: string;
  /** True when the same call may succeed later without any change to its input. */
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `decide` (or a guard) refused the command. Nothing was written. */
export class CommandRejectedError extends FrameworkError {
  readonly code: string;
  readonly streamId: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** What the refusal means, as the entity declared its code (undeclared: a conflict). */
  readonly rejectionKind: RejectionKind;

  constructor(
    streamId: string,
    code: string,
    message: string,
    details?: Readonly<Record<string, unknown>>,
    rejectionKind: RejectionKind = undeclaredRejectionKind,
  ) {
    super(message);
    this.code = code;
    this.streamId = streamId;
    this.details = details;
    this.rejectionKind = rejectionKind;
  }
}

/**
 * The error for a refusal, with the kind the entity declared for its code.
 *
 * @example
 * ```ts
 * throw rejectedError('Order#o-1', reject('order-not-found', 'No such order'), orderRejections);
 * ```
 */
export function rejectedError(
  streamId: string,
  rejection: Rejection,
  declarations: RejectionDeclarations | undefined,
): CommandRejectedError {
  const { code, message, details } = rejection;
  const kind = rejectionKindOf(declarations, code);
  return new CommandRejectedError(streamId, code, message, details, kind);
}

/** Another writer kept winning: the retry budget ran out. Nothing of ours was written. */
export class ConcurrencyError extends FrameworkError {
  readonly code = 'concurrent-modification';
  override readonly retryable = true;

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${streamId}: expected version ${expectedVersion} but found ${actualVersion ?? 'a newer one'} after ${attempts} attempts`,
      options,
    );
  }
}

/** The caller asked for a version (If-Match) that is not the current one. Nothing was written. */
export class VersionMismatchError extends FrameworkError {
  readonly code = 'version-mismatch';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`${streamId}: expected version ${expectedVersion}, current version is ${actualVersion}`);
  }
}

/** The store is throttling or unavailable. Nothing was written; retry later. */
export class StoreUnavailableError extends FrameworkError {
  readonly code = 'unavailable';
  override readonly retryable = true;

  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`The event store is unavailable (${operation})`, options);
  }
}

/**
 * A write timed out and re-reading could not tell whether it happened. The command may or may not
 * have been applied; retrying with the same idempotency key is safe.
 */
export class UnknownOutcomeError extends FrameworkError {
  readonly code = 'unknown-outcome';
  override readonly retryable = true;

  constructor(
    readonly streamId: string,
    readonly position: number,
    options?: { cause?: unknown },
  ) {
    super(`${streamId}: the outcome of the write at position ${position} is unknown`, options);
  }
}

/** A commit would exceed the store's item size limit. Nothing was written. */
export class CommitTooLargeError extends FrameworkError {
  readonly code = 'commit-too-large';

  constructor(
    readonly streamId: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${streamId}: the commit is ${sizeBytes} bytes, over the limit of ${limitBytes} bytes`,
      options,
    );
  }
}

/** A stored event whose type or schema version the entity does not know. */
export class UnknownEventError extends FrameworkError {
  readonly code = 'unknown-event';

  constructor(
    readonly streamId: string,
    readonly position: number,
    readonly eventType: string,
    readonly schemaVersion: number,
    reason: string,
  ) {
    super(`${streamId} at position ${position}: ${reason} (event ${eventType} v${schemaVersion})`);
  }
}

/** An idempotency key was used again for a different command. Nothing was written. */
export class IdempotencyKeyReusedError extends FrameworkError {
  readonly code = 'idempotency-key-reused';

  constructor(
    readonly streamId: string,
    readonly idempotencyKey: string,
  ) {
    super(`${streamId}: idempotency key "${idempotencyKey}" was used for a different command`);
  }
}

/**
 * A keyed command whose key was refused before: the answer kept then, to be given again. Nothing
 * was written.
 */
export class RefusalReplayedError extends FrameworkError {
  readonly code = 'refusal-replayed';

  constructor(
    readonly streamId: string,
    /** What the caller's `refusal` option made of the first refusal. */
    readonly answer: unknown,
  ) {
    super(`${streamId}: this idempotency key was refused before`);
  }
}

/** A stored item that the framework cannot decode: a bug or a foreign write, never user input. */
export class CorruptRecordError extends FrameworkError {
  readonly code = 'corrupt-record';

  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`${location}: ${reason}`);
  }
}

/** A durable-state entity was written by someone else since it was read. */
export class RevisionConflictError extends FrameworkError {
  readonly code = 'concurrent-modification';
  override readonly retryable = true;

  constructor(
    readonly key: string,
    readonly expectedRevision: number,
    readonly actualRevision: number | undefined,
  ) {
    super(`${key}: expected revision ${expectedRevision}, found ${actualRevision ?? 'none'}`);
  }
}
