import {
  CommandRejectedError,
  DurableStateStore,
  reject,
  VersionMismatchError,
} from '@coffee-es/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JournalFixture, journalFixture } from '../support/journalFixture.ts';

interface Profile {
  readonly name: string;
  readonly visits: number;
}

let f: JournalFixture;
beforeAll(async () => {
  f = await journalFixture('durable-state');
});

const profiles = () => new DurableStateStore<Profile>({ type: 'Profile' }, { store: f.states });

describe('DurableStateStore on DynamoDB Local', () => {
  it('creates at revision 1 and replaces under a growing revision', async () => {
    const created = await profiles().update('p1', () => ({ name: 'Ana', visits: 0 }));
    expect(created).toEqual({ state: { name: 'Ana', visits: 0 }, revision: 1, created: true });
    const updated = await profiles().update('p1', (s) => ({
      name: 'Ana',
      visits: (s?.visits ?? 0) + 1,
    }));
    expect(updated).toMatchObject({ revision: 2, created: false });
    expect(await profiles().get('p1', { consistent: true })).toEqual({
      state: { name: 'Ana', visits: 1 },
      revision: 2,
    });
    expect(await profiles().get('nobody')).toBeUndefined();
  });

  it('loses no update under 10 concurrent writers', async () => {
    await profiles().update('hot', () => ({ name: 'Hot', visits: 0 }));
    await Promise.all(
      Array.from({ length: 10 }, () =>
        profiles().update('hot', (s) => ({ name: 'Hot', visits: (s?.visits ?? 0) + 1 })),
      ),
    );
    expect(await profiles().get('hot', { consistent: true })).toEqual({
      state: { name: 'Hot', visits: 10 },
      revision: 11,
    });
  });

  it('refuses a stale expected revision and a rejected change, writing nothing', async () => {
    await profiles().update('p2', () => ({ name: 'Bo', visits: 0 }));
    await expect(
      profiles().update('p2', () => ({ name: 'X', visits: 9 }), { expectedRevision: 5 }),
    ).rejects.toBeInstanceOf(VersionMismatchError);
    await expect(profiles().update('p2', () => reject('closed', 'Closed'))).rejects.toBeInstanceOf(
      CommandRejectedError,
    );
    expect(await profiles().get('p2', { consistent: true })).toMatchObject({ revision: 1 });
  });
});
