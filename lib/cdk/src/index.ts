export { SystemAlarms, type SystemAlarmsProps } from './constructs/alarms.ts';
export { bindAccess } from './constructs/bindAccess.ts';
export {
  type ApiAuthorization,
  SystemHttpApi,
  type SystemHttpApiProps,
} from './constructs/httpApi.ts';
export {
  QueueConsumer,
  type QueueConsumerProps,
  visibilityTimeoutFactor,
} from './constructs/queueConsumer.ts';
export { StreamConsumer, type StreamConsumerProps } from './constructs/streamConsumer.ts';
export {
  grantSend,
  lambdaRuntime,
  SystemFunction,
  type SystemFunctionProps,
} from './constructs/systemFunction.ts';
export { type QueuePair, SystemQueues, type SystemQueuesProps } from './constructs/systemQueues.ts';
export {
  type DeclaredTable,
  itemDeletionActions,
  pascal,
  SystemTables,
  type SystemTablesProps,
} from './constructs/systemTables.ts';
export {
  refusedForRouteGroups,
  type TableGrantRequest,
  tableKeyStatement,
  tableStatements,
} from './constructs/tableGrants.ts';
export { conflictsMetricName, serviceDimension } from './metrics.ts';
export { type DeploySettings, devTableCaps, readDeploySettings, tableCaps } from './settings.ts';
export { SystemStack, type SystemStackProps } from './systemStack.ts';
