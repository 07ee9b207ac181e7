// @coffee-es/aws-lambda, the public API. What is not exported here is internal to the package.
// The schema library (Zod Mini with English messages) is the subpath `@coffee-es/aws-lambda/schema`.

// --- HTTP: routes, the handler that serves them, problems, access ---

export {
  assertOwner,
  checkAccess,
  forbidden,
  scopesOfClaims,
  unauthorized,
} from './http/access.ts';
export {
  answerCommand,
  answerMarginMs,
  type CommandOutcome,
  type CommandTarget,
  notFoundProblem,
} from './http/commandAnswer.ts';
export {
  type CommandRouteDefaults,
  type CommandRouteSpec,
  defineCommandRoute,
  defineQueryRoute,
  type EntityReader,
  type QueryRouteSpec,
} from './http/commandRoute.ts';
export {
  createHttpHandler,
  type HttpEvent,
  type HttpHandlerOptions,
  type HttpResponse,
} from './http/httpHandler.ts';
export { HttpProblem } from './http/middleware.ts';
export { type OpenApiInfo, type OpenApiOptions, openApiDocument } from './http/openapi.ts';
export {
  type FieldError,
  type ProblemBody,
  rejectionProblem,
  rejectionStatuses,
} from './http/problem.ts';
export {
  type Caller,
  defineRoute,
  type HttpMethod,
  type HttpRequest,
  type HttpResult,
  type IdempotencyContext,
  matchPath,
  type OwnerRule,
  type Route,
  type RouteAccess,
  routeKeyOf,
} from './http/route.ts';

// --- Read side on Lambda: the projector, the relay to SQS, event consumers ---

export {
  createEventConsumer,
  type EntityEventConsumerOptions,
  type EventConsumerOptions,
  MalformedMessageError,
  type RelayedEventOf,
} from './lambda/eventConsumer.ts';
export { createProjector, type ProjectorOptions } from './lambda/projector.ts';
export { createRelay, type RelayedEvent, type RelayOptions } from './lambda/relay.ts';

// --- Operations on SQS: receiving, dead-letter redrive, replay from the journal ---

export { receiveInput, showAgain } from './sqs/receive.ts';
export { type RedriveResult, redriveDeadLetters } from './sqs/redrive.ts';
export { type FailuresRedriven, redriveFailures } from './sqs/redriveFailures.ts';
export {
  type ReplayResult,
  type ReplayTarget,
  replayJournal,
  replayStream,
  type StreamRange,
} from './sqs/replay.ts';

// --- The system declaration: tables, queues, routes, route groups, consumers ---

export {
  defineSystem,
  type FunctionAccess,
  type FunctionCode,
  operatorQueuesEnvVar,
  type QueueConsumerDeclaration,
  type QueueDeclaration,
  type RouteGroupDeclaration,
  routeGroupEnvVar,
  routesOfGroup,
  type StreamConsumerDeclaration,
  type SystemDeclaration,
  type TableDeclaration,
} from './system/declaration.ts';

// --- Internal (@internal): exported for the package's own specs, not a stable API ---

export { callerOf, ownedByOf } from './http/access.ts';
export { problemOf } from './http/problem.ts';
export { defaultRouteKey } from './http/unknownRoute.ts';
export { sqsIdOf } from './lambda/relay.ts';
export { parseFailureNotice, sendFailureNotice } from './sqs/failureNotices.ts';
export { maxSqsIdLength, redriveDeduplicationId } from './sqs/ids.ts';
export { redriveByHand } from './sqs/redrive.ts';
export { messageBytes } from './sqs/sendInOrder.ts';
