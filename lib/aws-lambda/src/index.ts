export {
  assertOwner,
  callerOf,
  checkAccess,
  forbidden,
  needsToken,
  ownedByOf,
  scopesOfClaims,
  unauthorized,
} from './http/access.ts';
export { derivedIdOf } from './http/derivedId.ts';
export {
  createHttpHandler,
  type HttpEvent,
  type HttpHandlerOptions,
  type HttpResponse,
  idempotencyScope,
  toResponse,
} from './http/httpHandler.ts';
export { refusalAnswer, type StoredAnswer } from './http/idempotency.ts';
export { accessLog, HttpProblem, problemResponses } from './http/middleware.ts';
export {
  bearerScheme,
  type OpenApiInfo,
  type OpenApiOptions,
  openApiDocument,
} from './http/openapi.ts';
export { jsonSchemaOf, problemSchema, responsesOf } from './http/openapiResponses.ts';
export {
  defaultMaxBodyBytes,
  noVersionMatches,
  type ParsedInput,
  parseRequest,
} from './http/parseRequest.ts';
export { type FieldError, internalError, type ProblemBody, problemOf } from './http/problem.ts';
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
export { defaultRouteKey, unknownRoute } from './http/unknownRoute.ts';
export {
  createEventConsumer,
  type EventConsumerOptions,
  MalformedMessageError,
  parseRelayedEvent,
  upcastRelayedEvent,
} from './lambda/eventConsumer.ts';
export { createProjector, type ProjectorOptions } from './lambda/projector.ts';
export {
  createRelay,
  eventIdOf,
  type RelayedEvent,
  type RelayOptions,
  relayedEvents,
  sqsIdOf,
} from './lambda/relay.ts';
export {
  parseFailureNotice,
  type RedriveRequest,
  type RelayFailureNotice,
  type SetAsideEvents,
  sendFailureNotice,
} from './sqs/failureNotices.ts';
export { maxSqsIdLength, redriveDeduplicationId } from './sqs/ids.ts';
export { receiveInput } from './sqs/receive.ts';
export { type RedriveResult, redriveByHand, redriveDeadLetters } from './sqs/redrive.ts';
export { type FailuresRedriven, redriveFailures } from './sqs/redriveFailures.ts';
export { outgoingMessageOf } from './sqs/relayedEvents.ts';
export {
  emptyResult,
  type ReplayResult,
  type ReplayTarget,
  replayJournal,
  replayStream,
  type StreamRange,
} from './sqs/replay.ts';
export {
  messageBytes,
  type OutgoingMessage,
  type SendReport,
  type SqsLimits,
  sendInOrder,
  sqsLimits,
  type Unsendable,
} from './sqs/sendInOrder.ts';
export {
  defineSystem,
  type FunctionAccess,
  type FunctionCode,
  type QueueConsumerDeclaration,
  type QueueDeclaration,
  type RouteGroupDeclaration,
  routeGroupEnvVar,
  routesOfGroup,
  type StreamConsumerDeclaration,
  type SystemDeclaration,
  type TableDeclaration,
} from './system/declaration.ts';
