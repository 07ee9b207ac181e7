/**
 * The error contract (lib/core/src/errors.ts): the signals the framework's parts pass between
 * them are FrameworkErrors too, each with its stable code, its class name (bundles are minified),
 * whether a retry of the same call may pass, and the cause passed on; the HTTP edge still answers
 * an escaped append conflict as our bug and an ambiguous write as 503.
 */
import { MalformedMessageError, problemOf } from '@coffee-es/aws-lambda';
import {
  AmbiguousWriteError,
  AppendConflict,
  FrameworkError,
  ProjectionGapError,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const cause = new Error('underneath');

describe('the error contract', () => {
  it.each([
    [
      'append-conflict',
      'AppendConflict',
      false,
      new AppendConflict('Order#1', 2, undefined, { cause }),
    ],
    ['ambiguous-write', 'AmbiguousWriteError', true, new AmbiguousWriteError({ cause })],
    [
      'projection-gap',
      'ProjectionGapError',
      true,
      new ProjectionGapError('history', 'Order#1', 1, 3),
    ],
    [
      'malformed-message',
      'MalformedMessageError',
      false,
      new MalformedMessageError('m-1', 'no body'),
    ],
  ] as const)('%s is a FrameworkError named %s (retryable: %s)', (code, name, retryable, error) => {
    expect(error).toBeInstanceOf(FrameworkError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code, name, retryable });
  });

  it('passes the cause on', () => {
    expect(new AppendConflict('Order#1', 2, undefined, { cause }).cause).toBe(cause);
    expect(new AmbiguousWriteError({ cause }).cause).toBe(cause);
  });

  it('keeps the HTTP answers: an escaped append conflict is a bug (500), an ambiguous write 503', () => {
    expect(problemOf(new AppendConflict('Order#1', 2, undefined))).toBeUndefined();
    expect(problemOf(new ProjectionGapError('history', 'Order#1', 1, 3))).toBeUndefined();
    expect(problemOf(new AmbiguousWriteError())?.status).toBe(503);
  });
});
