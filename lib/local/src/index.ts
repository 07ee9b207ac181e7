export {
  type Checkpoint,
  fileCheckpoint,
  type HeldCheckpoint,
  holdCheckpoint,
  oldestSentTimestamp,
} from './checkpoints.ts';
export {
  clientFor,
  type DynamoDbLocal,
  type DynamoDbLocalOptions,
  startDynamoDbLocal,
} from './dynamoDbLocal.ts';
export { type FailureSweep, type FailureSweepOptions, startFailureSweep } from './failureSweep.ts';
export { freePort } from './freePort.ts';
export {
  type LambdaHttpHandler,
  type LocalHttpServer,
  type LocalHttpServerOptions,
  type LocalRoute,
  startLocalHttpServer,
} from './httpServer.ts';
export { type KeptDelivery, keptDelivery, type MemoryQueues } from './keptDelivery.ts';
export {
  gatewayAuthorizer,
  type JwtAuthorizerContext,
  type LocalAuth,
  type LocalAuthOptions,
  localAuth,
} from './localAuth.ts';
export { pauseFiles, pauseSwitch } from './pauseFiles.ts';
export { type QueueMirror, queueMirror } from './queueMirror.ts';
export {
  backoffBounds,
  createBackoff,
  defaultRetryDelay,
  type GiveUpCondition,
  type RetryDelay,
  toGiveUp,
} from './retryPolicy.ts';
export {
  type LocalRuntime,
  type LocalRuntimeOptions,
  localTableName,
  startLocalRuntime,
} from './runtime.ts';
export {
  ensureQueues,
  type QueuedMessage,
  type QueueSpec,
  queueArn,
  type SqsEmulator,
  sqsClientFor,
  startSqsEmulator,
} from './sqsEmulator.ts';
export {
  type SqsPoller,
  type SqsPollerOptions,
  type SqsPollerStats,
  startSqsPoller,
  toSqsRecord,
} from './sqsPoller.ts';
export { type StopOnSignalsOptions, stopOnSignals } from './stopOnSignals.ts';
export { invokeOnce, type Outcome, type StreamHandler, seq } from './streamInvocation.ts';
export {
  isTtlRemoval,
  type StreamFailure,
  type StreamPoller,
  type StreamPollerOptions,
  type StreamPollerStats,
  startStreamPoller,
} from './streamPoller.ts';
export { compareSequenceNumbers, toLambdaRecord } from './streamRecords.ts';
export { listShards, nextShard, shardIterator } from './streamShards.ts';
export {
  ensureSystemQueues,
  localFailureQueueName,
  localQueueNames,
  type QueueUrls,
} from './systemQueues.ts';
export { startWorkers, type Workers, type WorkersOptions } from './workers.ts';
