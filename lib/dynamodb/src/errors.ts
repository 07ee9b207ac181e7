/**
 * Translates DynamoDB SDK failures into the framework's errors right at the call site, keeping
 * `cause`. Unknown errors are rethrown untouched.
 */
import { AmbiguousWriteError, StoreUnavailableError } from '@coffee-es/core';

const unavailableNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
]);

/** Failures after which a write may or may not have been applied. */
const ambiguousNames = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
]);
const ambiguousCodes = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ESOCKETTIMEDOUT']);
/** Failures that prove the request never reached the service. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function describe(error: unknown): SdkLikeError {
  return typeof error === 'object' && error !== null ? (error as SdkLikeError) : {};
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return describe(error).name === 'ConditionalCheckFailedException';
}

function cancellationCodes(error: unknown): (string | undefined)[] {
  if (describe(error).name !== 'TransactionCanceledException') return [];
  const reasons =
    (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code);
}

/**
 * A transaction cancelled because one of its conditions failed or it collided with another: for
 * a write at a position, the position is taken or being taken (an append conflict).
 * @internal
 */
export function isTransactionConflict(error: unknown): boolean {
  return cancellationCodes(error).some(
    (code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict',
  );
}

/**
 * A transaction cancelled only because it collided with another transaction on the same items,
 * not because a condition failed: nothing was written, and the same transaction may pass if
 * tried again (counter writes retry it).
 * @internal
 */
export function isTransactionCollision(error: unknown): boolean {
  return cancellationCodes(error).includes('TransactionConflict');
}

export function isItemTooLarge(error: unknown): boolean {
  const { name, message } = describe(error);
  return name === 'ValidationException' && /item size/i.test(message ?? '');
}

/** For reads and for writes known not to have happened. */
export function translateReadError(error: unknown, operation: string): unknown {
  const { name, code, $metadata } = describe(error);
  if (
    unavailableNames.has(name ?? '') ||
    ambiguousNames.has(name ?? '') ||
    ambiguousCodes.has(code ?? '') ||
    unreachableCodes.has(code ?? '') ||
    ($metadata?.httpStatusCode ?? 0) >= 500
  ) {
    return new StoreUnavailableError(operation, { cause: error });
  }
  return error;
}

/** For conditional writes: separates "not written" from "maybe written". */
export function translateWriteError(error: unknown, operation: string): unknown {
  const { name, code } = describe(error);
  if (ambiguousNames.has(name ?? '') || ambiguousCodes.has(code ?? '')) {
    return new AmbiguousWriteError({ cause: error });
  }
  return translateReadError(error, operation);
}
