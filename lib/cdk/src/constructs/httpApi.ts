/**
 * The declared routes as an API Gateway HTTP API (payload 2.0): one integration per route group,
 * a `$default` route for everything else (404/405 problems from a function, as locally),
 * default-stage throttling, JSON access logs, CORS when the declaration asks for it, and each
 * route's authorization: a JWT with the route's scopes, IAM (SigV4) on a closed dev stage, or
 * none for public routes and an open demo.
 */

import type { Route } from '@coffee-es/aws-lambda';
import { type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Who may call the API: `jwt`, a token from this issuer for one of these audiences, with one of
 * each route's declared scopes (public routes need none); `iam`, SigV4-signed requests of
 * principals allowed `execute-api:Invoke`; `none`, anyone.
 */
export type ApiAuthorization =
  | { readonly kind: 'jwt'; readonly issuer: string; readonly audience: readonly string[] }
  | { readonly kind: 'iam' }
  | { readonly kind: 'none' };

/** The routes, the function of each route group, authorization, CORS and throttling of the API. */
export interface SystemHttpApiProps {
  readonly routes: readonly Pick<Route, 'method' | 'path' | 'group' | 'access'>[];
  /** The function serving each route group. */
  readonly groups: ReadonlyMap<string, IFunction>;
  /** The group whose function answers what no route matches (`$default`): 404 or 405. */
  readonly defaultGroup?: string;
  readonly corsOrigins?: readonly string[];
  readonly authorization: ApiAuthorization;
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
    const integrationOf = (group: string) => {
      const integration = integrations.get(group);
      if (!integration) throw new Error(`No function serves route group ${group}`);
      return integration;
    };
    const auth = authorizers(props.authorization);
    for (const route of props.routes) {
      const scopes = route.access.kind === 'token' ? route.access.scopes : undefined;
      const token = scopes && auth.token;
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.group),
        authorizer: token || auth.otherwise,
        // Any one of the declared scopes lets the token through; ownership is the handler's.
        ...(token && scopes ? { authorizationScopes: [...scopes] } : {}),
      });
      if (added && !token && props.authorization.kind === 'jwt') {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by declaration (access: public): it serves no personal data.`,
        });
      }
    }
    if (props.defaultGroup !== undefined) {
      // Unknown paths and methods answer 404/405 before any token check, as the contract says;
      // behind IAM (a closed dev stage) they stay closed like everything else.
      const fallback = new HttpRoute(this, 'DefaultRoute', {
        httpApi: this.api,
        routeKey: HttpRouteKey.DEFAULT,
        integration: integrationOf(props.defaultGroup),
        authorizer: auth.otherwise,
      });
      if (props.authorization.kind === 'jwt') {
        Validations.of(fallback).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The $default route only answers 404/405 problems for paths and methods no route declares; its function serves no declared route through it.',
        });
      }
    }
    if (props.authorization.kind === 'none') {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'An open dev stage for a public demo, asked for explicitly (openApi=true) and warned about at synth; a dev stage is behind IAM otherwise, prod behind a JWT.',
      });
    }
  }
}

/** The authorizer of token routes, and the one of every other route (public, `$default`). */
function authorizers(authorization: ApiAuthorization): {
  token: IHttpRouteAuthorizer | undefined;
  otherwise: IHttpRouteAuthorizer;
} {
  switch (authorization.kind) {
    case 'jwt':
      return {
        token: new HttpJwtAuthorizer('Jwt', authorization.issuer, {
          jwtAudience: [...authorization.audience],
        }),
        otherwise: new HttpNoneAuthorizer(),
      };
    case 'iam':
      return { token: undefined, otherwise: new HttpIamAuthorizer() };
    case 'none':
      return { token: undefined, otherwise: new HttpNoneAuthorizer() };
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
