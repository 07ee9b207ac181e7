// @coffee-es/local, the public API. What is not exported here is internal to the package.

// --- The local runtime: a whole system on this machine ---

export { consoleFiles, consolePath } from './console/consoleMount.ts';
export {
  type LocalRuntime,
  type LocalRuntimeOptions,
  localTableName,
  startLocalRuntime,
} from './runtime.ts';
export { type StopOnSignalsOptions, stopOnSignals } from './stopOnSignals.ts';
export type { Workers } from './workers.ts';

// --- DynamoDB Local and the SQS emulator ---

export {
  clientFor,
  type DynamoDbLocal,
  type DynamoDbLocalOptions,
  startDynamoDbLocal,
} from './dynamoDbLocal.ts';
export {
  ensureQueues,
  type QueuedMessage,
  type QueueSpec,
  type SqsEmulator,
  sqsClientFor,
  startSqsEmulator,
} from './sqsEmulator.ts';
export {
  ensureSystemQueues,
  localFailureQueueName,
  localQueueNames,
  type QueueUrls,
} from './systemQueues.ts';

// --- Emulated API Gateway and its JWT authorizer ---

export {
  type LambdaHttpHandler,
  type LocalHttpServer,
  type LocalHttpServerOptions,
  type LocalRoute,
  startLocalHttpServer,
} from './httpServer.ts';
export {
  type JwtAuthorizerContext,
  type LocalAuth,
  type LocalAuthOptions,
  localAuth,
} from './localAuth.ts';

// --- Emulated event-source mappings: stream and queue pollers ---

export type { Checkpoint } from './checkpoints.ts';
export { pauseFiles } from './pauseFiles.ts';
export type { GiveUpCondition, RetryDelay } from './retryPolicy.ts';
export {
  type SqsPoller,
  type SqsPollerOptions,
  type SqsPollerStats,
  startSqsPoller,
} from './sqsPoller.ts';
export type { StreamHandler } from './streamInvocation.ts';
export {
  type StreamFailure,
  type StreamPoller,
  type StreamPollerOptions,
  type StreamPollerStats,
  startStreamPoller,
} from './streamPoller.ts';

// --- The coffee-es command: its system module, endpoints and local authorization ---

export {
  type AppModule,
  loadAppModule,
  systemModulePath,
  takeSystemFlag,
} from './cli/appModule.ts';
export {
  dataDir,
  dynamoClientOf,
  type Endpoints,
  findEndpoints,
  sqsClientOf,
} from './cli/endpoints.ts';
export {
  authSetting,
  loadLocalAuth,
  localAudience,
  localIssuer,
  signingKeyFile,
} from './cli/localAuthKey.ts';

// --- Operator functions: the streams (no output, no argv; the CLI and the console use them) ---

export {
  type EntityVersion,
  estimatedStreams,
  listEntities,
} from './ops/entities.ts';
export {
  type BackfillOptions,
  type BackfillProgress,
  backfillSnapshots,
} from './ops/snapshots.ts';
export {
  type CommitMetadata,
  currentState,
  followEvents,
  type HistoryPoint,
  readEvents,
  type StateAt,
  type StreamEvent,
  type StreamReader,
  stateAt,
  streamEventsOf,
} from './ops/streams.ts';

// --- Operator functions: the queues, their dead letters and the stream failure queues ---

export {
  type FailureNotice,
  type FailureQueue,
  type FailuresRedrive,
  type JournalSource,
  listFailures,
  type NamedItem,
  redriveFailures,
} from './ops/failures.ts';
export { type PeekedMessage, peekMessages } from './ops/queueMessages.ts';
export {
  peekDeadLetters,
  type QueueDepth,
  queueDepths,
  redriveQueue,
} from './ops/queues.ts';

// --- The operator commands' plumbing: flags, target (local or a deployed stack), output ---

export {
  type FlagSpec,
  intFlag,
  type ParsedArgs,
  parseFlags,
  UsageError,
} from './cli/ops/flags.ts';
export {
  type Output,
  type OutputStreams,
  output,
  type Progress,
  takeJsonFlag,
} from './cli/ops/output.ts';
export {
  type DescribeStack,
  endpointsFromStackOutputs,
  type Target,
  tableName,
  takeTargetFlags,
  targetEndpoints,
  targetHelp,
} from './cli/ops/target.ts';

// --- Operator functions: the journal exported, imported, migrated and compared ---

export { type ExportResult, exportJournal } from './ops/journal/exportJournal.ts';
export {
  type ExportHeader,
  type ExportTrailer,
  JournalFormatError,
  journalFormat,
  journalFormatVersion,
  type RawItem,
} from './ops/journal/format.ts';
export {
  type ImportResult,
  importJournal,
  TargetNotEmptyError,
  TruncatedExportError,
} from './ops/journal/importJournal.ts';
export {
  type MigrateProgress,
  type MigrateResult,
  migrateJournal,
} from './ops/journal/migrate.ts';
export { type CompareOptions, compareJournals, type ParityReport } from './ops/journal/parity.ts';
export type { Difference, ParityFields, TypeFigures } from './ops/journal/parityFigures.ts';

// --- Internal (@internal): exported for the package's own specs, not a stable API ---

export {
  fileCheckpoint,
  holdCheckpoint,
  oldestSentTimestamp,
} from './checkpoints.ts';
export { RateWindow } from './console/rateWindow.ts';
export { avoidPort, freePort } from './freePort.ts';
export { type KeptDelivery, keptDelivery } from './keptDelivery.ts';
export { backoffBounds } from './retryPolicy.ts';
export { queueArn } from './sqsEmulator.ts';
export { toSqsRecord } from './sqsPoller.ts';
export { isTtlRemoval } from './streamPoller.ts';
export { toLambdaRecord } from './streamRecords.ts';
export { listShards, shardIterator } from './streamShards.ts';
