export { type AppendOutcome, appendCommit } from './appendOutcome.ts';
export {
  bloomAdd,
  bloomBits,
  bloomFromText,
  bloomMayHave,
  bloomToText,
  emptyBloom,
} from './bloom.ts';
export { ClaimMissingError, type ClaimsOf, ClaimTakenError, type CommitClaims } from './claims.ts';
export { type Attempt, type AttemptDeps, CommandAttempts } from './commandAttempts.ts';
export {
  type CommandRun,
  type EntityStoreOptions,
  type EntityStoreSignal,
  type ExecuteOptions,
  type ExecuteResult,
  metadataOf,
} from './commands.ts';
export { buildCommit } from './commit.ts';
export {
  type DurableStateDefinition,
  type DurableStateResult,
  DurableStateStore,
} from './durableStateStore.ts';
export {
  type CommandMetadata,
  type Decision,
  type DomainCommand,
  type DomainEvent,
  defineEntity,
  type Entity,
  type EntityDefinition,
  type EventSchema,
  type SnapshotPolicy,
  streamIdOf,
  type Upcaster,
} from './entity.ts';
export { EntityStore } from './entityStore.ts';
export {
  CommandRejectedError,
  CommitTooLargeError,
  ConcurrencyError,
  CorruptRecordError,
  FrameworkError,
  IdempotencyKeyReusedError,
  RefusalReplayedError,
  RevisionConflictError,
  StoreUnavailableError,
  UnknownEventError,
  UnknownOutcomeError,
  VersionMismatchError,
} from './errors.ts';
export {
  type DocumentCommit,
  type EventSchemasByType,
  type GapFiller,
  type JournalReader,
  journalGapFiller,
  projectedEvents,
} from './gapReader.ts';
export { canonicalJson, fingerprint } from './hash.ts';
export { historyCommits } from './history.ts';
export {
  applyCommits,
  type EntityImage,
  emptyImage,
  isUsableSnapshot,
  keyHashOf,
  keysOfCommit,
  shouldSnapshot,
  snapshotOf,
} from './image.ts';
export { ImageReader } from './imageReader.ts';
export { holdsKey, KeyedReplays } from './keyedReplays.ts';
export {
  defaultKeyPolicy,
  emptyKeyMemory,
  epochSeconds,
  type KeyEntry,
  type KeyLookup,
  type KeyMemory,
  type KeyPolicy,
  keyPolicyOf,
  keysFromStored,
  lookupKey,
  type SpillBucket,
  storedKeys,
  trimKeys,
  withKey,
} from './keyMemory.ts';
export { LruCache } from './lruCache.ts';
export { InMemoryJournal } from './memory/inMemoryJournal.ts';
export {
  AmbiguousWriteError,
  AppendConflict,
  type Commit,
  type Journal,
  type LoadedCommits,
  type Note,
  type ReadOptions,
  type RecentKey,
  type Refusal,
  type ScanCursor,
  type ScanPage,
  type StateRecord,
  type StateStore,
  type StoredEvent,
  type StoredSnapshot,
  type StoredSpill,
} from './ports.ts';
export {
  type CommitSpan,
  type CounterChange,
  type CounterProjection,
  contiguousRun,
  counterProjection,
  type Document,
  type DocumentProjection,
  documentKeyOf,
  documentProjection,
  type ProjectedEvent,
  type Projection,
  ProjectionDefinitionError,
  ProjectionGapError,
  type ReadModelKey,
} from './projection.ts';
export {
  liveRefusals,
  maxRefusalsPerNote,
  type NoteOutcome,
  writeRefusal,
} from './refusalNotes.ts';
export { isRejection, type Rejection, reject } from './rejection.ts';
export {
  backoffDelay,
  backoffLevel,
  commandRetryPolicy,
  contentionMemoryMs,
  defaultRetryPolicy,
  type RecentContention,
  type RetryPolicy,
} from './retry.ts';
export { type RecordedEvent, recordedEvents, upcast } from './upcast.ts';
