export { writeCommitsInBatches } from './batchWriter.ts';
export {
  ClaimingJournal,
  type ClaimingJournalOptions,
  type ClaimRequest,
  claimKey,
} from './claimingJournal.ts';
export {
  attr,
  commitToItem,
  type Item,
  isCommitItem,
  itemKind,
  itemToCommit,
  itemToState,
  stateSortKey,
  stateToItem,
} from './codec.ts';
export { applyCounters } from './counterWrites.ts';
export {
  isConditionalCheckFailed,
  isItemTooLarge,
  isTransactionConflict,
  translateReadError,
  translateWriteError,
} from './errors.ts';
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
export { type FittedCommit, fitCommit, itemSize, maxItemBytes } from './itemSize.ts';
export {
  DynamoJournal,
  type DynamoJournalOptions,
  type JournalRequest,
  type SnapshotDrop,
} from './journal.ts';
export { listStreams, type ScanTarget, scanCommits } from './journalScans.ts';
export { isNoteItem, itemToNote, noteToItem, positionCondition } from './noteItems.ts';
export { projectCommit, projectCommits } from './projectCommits.ts';
export { dropByPrefix } from './readModelDrop.ts';
export {
  type DocumentOutcome,
  DynamoReadModelWriter,
  type ProjectionStatusUpdate,
} from './readModelWriter.ts';
export { type RebuildOptions, type RebuildProgress, rebuildProjections } from './rebuild.ts';
export { DynamoStateStore } from './stateStore.ts';
export { decodeJournalRecord, type JournalChange } from './streamDecoder.ts';
export {
  createTableInput,
  ensureTables,
  journalIndexes,
  journalTable,
  type KeySpec,
  readModelTable,
  type TableSpec,
} from './tables.ts';
