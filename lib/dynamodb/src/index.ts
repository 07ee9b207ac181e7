// @coffee-es/dynamodb, the public API. What is not exported here is internal to the package.

// --- The journal and durable state on DynamoDB ---

export {
  ClaimingJournal,
  type ClaimingJournalOptions,
  type ClaimRequest,
} from './claimingJournal.ts';
export { translateReadError } from './errors.ts';
export {
  DynamoJournal,
  type DynamoJournalOptions,
  type JournalRequest,
  type SnapshotDrop,
} from './journal.ts';
export {
  backfillSnapshot,
  type JournalTableRef,
  type SnapshotWriteOutcome,
  streamVersion,
} from './journalUpkeep.ts';
export { DynamoStateStore } from './stateStore.ts';

// --- Tables: their shapes, and creating the missing ones ---

export {
  ensureTables,
  journalIndexes,
  journalTable,
  type KeySpec,
  readModelTable,
  type TableSpec,
} from './tables.ts';

// --- Read side: stream decoding, the read-model store ---

export { writeCommitsInBatches } from './batchWriter.ts';
export { DynamoReadModelReader } from './readModelReader.ts';
export { DynamoReadModelStore } from './readModelStore.ts';
export { decodeJournalRecord, type JournalChange } from './streamDecoder.ts';

// --- Item access: what a function may read and write, for least-privilege grants ---

export {
  claimItems,
  type DynamoRequest,
  entityItems,
  entityReads,
  entityWrites,
  type ItemAccess,
  readModelQueries,
  readModelWrites,
} from './itemAccess.ts';

// --- Internal (@internal): exported for the package's own specs, not a stable API ---

export { attr, commitToItem, itemToCommit, stateToItem } from './codec.ts';
export { isTransactionCollision, isTransactionConflict } from './errors.ts';
export { fitCommit, itemSize } from './itemSize.ts';
