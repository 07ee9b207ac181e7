/** The edge answers each declared kind of refusal with one status, whatever the code says. */
import { rejectionProblem, rejectionStatuses } from '@coffee-es/aws-lambda';
import { CommandRejectedError, rejectionKinds } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const refused = (code: string, kind?: (typeof rejectionKinds)[number]) =>
  rejectionProblem(
    new CommandRejectedError('Locker#l1', code, `refused: ${code}`, undefined, kind),
  );

describe('rejection kinds as HTTP statuses', () => {
  it('maps every kind the core knows', () => {
    expect(Object.keys(rejectionStatuses).sort()).toEqual([...rejectionKinds].sort());
  });

  it('answers the addressed thing missing with 404 not-found, whatever its code', () => {
    // The code says nothing: a `-not-found` suffix no longer decides, the declaration does.
    expect(refused('locker-gone', 'not-found')).toMatchObject({ status: 404, code: 'not-found' });
    expect(refused('locker-gone', 'not-found').message).toBe('refused: locker-gone');
  });

  it('answers a missing reference with 404 and its own code', () => {
    expect(refused('key-not-found', 'reference-not-found')).toMatchObject({
      status: 404,
      code: 'key-not-found',
    });
  });

  it('answers conflicts, and codes nobody declared, with 409 and their code', () => {
    expect(refused('locker-full', 'conflict')).toMatchObject({ status: 409, code: 'locker-full' });
    expect(refused('thing-not-found')).toMatchObject({ status: 409, code: 'thing-not-found' });
  });
});
