/**
 * The declared routes as an API Gateway HTTP API (payload 2.0): one integration per route group,
 * default-stage throttling, JSON access logs, CORS when the declaration asks for it, and a JWT
 * authorizer on every route when the stage requires one.
 */
import { type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../../lib/http/route.ts';

export interface SystemHttpApiProps {
  readonly routes: readonly Pick<Route, 'method' | 'path' | 'group'>[];
  /** The function serving each route group. */
  readonly groups: ReadonlyMap<string, IFunction>;
  readonly corsOrigins?: readonly string[];
  /** Present: every route requires a JWT from this issuer for one of these audiences. */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRemovalPolicy: RemovalPolicy;
}

/** Request headers the routes read; browsers must be allowed to send them. */
const allowHeaders = ['authorization', 'content-type', 'idempotency-key', 'if-match'];
/** Response headers the routes set that a browser script may read. */
const exposeHeaders = ['etag', 'location'];

/**
 * The HTTP API in front of the route groups' functions.
 *
 * @example
 * ```ts
 * new SystemHttpApi(this, 'Api', { routes: system.routes, groups, throttle, logRemovalPolicy });
 * ```
 */
export class SystemHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: SystemHttpApiProps) {
    super(scope, id);
    const origins = props.corsOrigins ?? [];
    this.api = new HttpApi(this, 'Api', {
      // Named after the stack (API names need not be unique), so consoles show whose API it is.
      apiName: Stack.of(this).stackName,
      description: 'Routes of the system declaration',
      // The stage is created below, with throttling and access logs.
      createDefaultStage: false,
      ...(props.jwt
        ? {
            defaultAuthorizer: new HttpJwtAuthorizer('Jwt', props.jwt.issuer, {
              jwtAudience: [...props.jwt.audience],
            }),
          }
        : {}),
      ...(origins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...origins],
              allowMethods: [...new Set(props.routes.map((r) => CorsHttpMethod[r.method]))],
              allowHeaders,
              exposeHeaders,
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const [group, fn] of props.groups) {
      integrations.set(group, new HttpLambdaIntegration(`${group}Integration`, fn));
    }
    for (const route of props.routes) {
      const integration = integrations.get(route.group);
      if (!integration) throw new Error(`No function serves route group ${route.group}`);
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
    if (!props.jwt) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'A dev stage is open by choice (context stage=dev); stage=prod puts a JWT authorizer on every route.',
      });
    }
  }
}

/** One JSON object per request: what happened, how long it took, and what the integration said. */
const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
};
