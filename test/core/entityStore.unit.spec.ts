import { InMemoryJournal } from '@coffee-es/core';
import { entityStoreContract } from '../support/entityStoreContract.ts';

entityStoreContract(async () => {
  const journal = new InMemoryJournal();
  return {
    journal,
    requests: () => Object.values(journal.requests).reduce((a, b) => a + b, 0),
  };
});
