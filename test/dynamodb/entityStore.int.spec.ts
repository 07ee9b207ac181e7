import { beforeAll } from 'vitest';
import { entityStoreContract } from '../support/entityStoreContract.ts';
import { type JournalFixture, journalFixture } from '../support/journalFixture.ts';

let fixture: JournalFixture;
beforeAll(async () => {
  fixture = await journalFixture('entity-store');
});

entityStoreContract(async () => ({
  journal: fixture.journal,
  requests: () => fixture.log.length,
}));
