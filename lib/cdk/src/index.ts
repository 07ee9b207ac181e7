// @coffee-es/cdk, the public API. What is not exported here is internal to the package.

// --- The stack: a whole system declaration deployed ---

export { type DeploySettings, readDeploySettings } from './settings.ts';
export { SystemStack, type SystemStackProps } from './systemStack.ts';

// --- Constructs the stack composes, one per concern ---

export { SystemAlarms, type SystemAlarmsProps } from './constructs/alarms.ts';
export { bindAccess } from './constructs/bindAccess.ts';
export {
  type ApiAuthorization,
  SystemHttpApi,
  type SystemHttpApiProps,
} from './constructs/httpApi.ts';
export { QueueConsumer, type QueueConsumerProps } from './constructs/queueConsumer.ts';
export { StreamConsumer, type StreamConsumerProps } from './constructs/streamConsumer.ts';
export {
  lambdaNodeMajor,
  lambdaRuntime,
  SystemFunction,
  type SystemFunctionProps,
} from './constructs/systemFunction.ts';
export { type QueuePair, SystemQueues, type SystemQueuesProps } from './constructs/systemQueues.ts';
export {
  type DeclaredTable,
  SystemTables,
  type SystemTablesProps,
} from './constructs/systemTables.ts';

// --- Internal (@internal): exported for the package's own specs, not a stable API ---

export { conflictsMetricName } from './metrics.ts';
export { devTableCaps } from './settings.ts';
