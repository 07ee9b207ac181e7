// @coffee-es/core, the public API. What is not exported here is internal to the package.

// --- Entities: the pure definition of an event-sourced entity type ---

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
export {
  declareRejections,
  isRejection,
  type Rejection,
  type RejectionCode,
  type RejectionDeclarations,
  type RejectionKind,
  reject,
  rejectionKindOf,
  rejectionKinds,
  undeclaredRejectionKind,
} from './rejection.ts';
export { type RecordedEvent, upcast } from './upcast.ts';

// --- Stores: commands against a journal; durable-state entities ---

export type {
  EntityStoreOptions,
  EntityStoreSignal,
  ExecuteOptions,
  ExecuteResult,
} from './commands.ts';
export {
  type DurableStateDefinition,
  type DurableStateResult,
  DurableStateStore,
} from './durableStateStore.ts';
export { EntityStore } from './entityStore.ts';
export { type EntityStoreOptionsOf, EntityStores } from './entityStores.ts';
export type { KeyPolicy } from './keyMemory.ts';
export { type ReplayedSnapshot, replayedSnapshot } from './replayedSnapshot.ts';
export { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
export { type EntityStoreListener, listenToEntityStores } from './storeSignals.ts';

// --- Errors: each carries a stable `code`; adapters throw the same ones ---

export {
  CommandRejectedError,
  CommitTooLargeError,
  ConcurrencyError,
  CorruptRecordError,
  FrameworkError,
  IdempotencyKeyReusedError,
  RefusalReplayedError,
  RevisionConflictError,
  rejectedError,
  StoreUnavailableError,
  UnknownEventError,
  UnknownOutcomeError,
  VersionMismatchError,
} from './errors.ts';

// --- Ports: what a storage adapter implements; an in-memory journal ---

export { ClaimMissingError, type ClaimsOf, ClaimTakenError, type CommitClaims } from './claims.ts';
export { AmbiguousWriteError, AppendConflict } from './journalErrors.ts';
export { InMemoryJournal } from './memory/inMemoryJournal.ts';
export { InMemoryReadModelStore } from './memory/inMemoryReadModelStore.ts';
export type {
  Commit,
  Journal,
  LoadedCommits,
  Note,
  ReadOptions,
  RecentKey,
  Refusal,
  ScanCursor,
  ScanPage,
  StateRecord,
  StateStore,
  StoredEvent,
  StoredSnapshot,
  StoredSpill,
} from './ports.ts';
export {
  type CounterEntry,
  counterMarkerKey,
  type DocumentWrite,
  documentMeta,
  type ItemQuery,
  type ProjectionStatusUpdate,
  type ReadModelReader,
  type ReadModelStore,
  type StoredItem,
} from './readModelStore.ts';

// --- Projections: read models as pure functions of events ---

export {
  type CounterSpec,
  type DocumentSpec,
  defineProjection,
  type EventOf,
  type KeyPart,
  type ProjectionKey,
  type ProjectionSource,
  type Totals,
  type TypedCounterChange,
  type TypedCounterProjection,
  type TypedDocumentProjection,
} from './defineProjection.ts';
export { declaredEntity, type EventSource, eventSchemasOf } from './eventRegistry.ts';
export {
  type DocumentCommit,
  type EventSchemasByType,
  type GapFiller,
  type JournalReader,
  journalGapFiller,
  projectedEvents,
} from './gapReader.ts';
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
  defineReadSide,
  type ProjectionStatus,
  projectionStatuses,
  projectionStatusKey,
  type ReadSide,
  type ReadSideDeclaration,
} from './readSide.ts';

// --- Running projections: one pass from commits to the read-model store ---

export { projectCommit, projectCommits } from './projectCommits.ts';
export { applyCounters, applyDocument, type DocumentOutcome } from './projectionRun.ts';
export { type RebuildOptions, type RebuildProgress, rebuildProjections } from './rebuild.ts';

// --- Utilities the adapters share ---

export { canonicalJson, fingerprint } from './hash.ts';
export { historyCommits } from './history.ts';
export { LruCache } from './lruCache.ts';
export { type Backoff, backoffCeiling, backoffDelay, sleep } from './retry.ts';

// --- Internal (@internal): exported for the package's own specs, not a stable API ---

export { bloomAdd, bloomMayHave, emptyBloom } from './bloom.ts';
export { keyHashOf, shouldSnapshot } from './image.ts';
export {
  emptyKeyMemory,
  type KeyMemory,
  keyPolicyOf,
  keysFromStored,
  lookupKey,
  storedKeys,
  trimKeys,
  withKey,
} from './keyMemory.ts';
export { backoffLevel } from './retry.ts';
