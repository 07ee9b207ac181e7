/**
 * The whole system as one stack, composed from the declaration that the local runtime serves:
 * tables, queues, one function per route group and per consumer, the HTTP API, the event-source
 * mappings and the alarms. Nothing here names a route, table or queue of its own.
 */

import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { routeGroupEnvVar } from '@coffee-es/aws-lambda';
import { Annotations, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SystemAlarms } from './constructs/alarms.ts';
import { bindAccess } from './constructs/bindAccess.ts';
import { type ApiAuthorization, SystemHttpApi } from './constructs/httpApi.ts';
import {
  bindOperatorAccess,
  operatorConsoleCode,
  operatorGroup,
  operatorRoutes,
} from './constructs/operatorConsole.ts';
import { QueueConsumer } from './constructs/queueConsumer.ts';
import { stackOutputs } from './constructs/stackOutputs.ts';
import { StreamConsumer } from './constructs/streamConsumer.ts';
import { SystemFunction, type SystemFunctionProps } from './constructs/systemFunction.ts';
import { SystemQueues } from './constructs/systemQueues.ts';
import { pascal, SystemTables } from './constructs/systemTables.ts';
import { type DeploySettings, readDeploySettings, tableCaps } from './settings.ts';

/**
 * The declaration to deploy, the project root its function entries are relative to, and the
 * deployment settings (read from the CDK context when absent).
 */
export interface SystemStackProps extends StackProps {
  /** The declaration to deploy: the same object `npm start` serves. */
  readonly system: SystemDeclaration<never>;
  /** The project root that function entries are relative to. */
  readonly root: string;
  /** Default: read from the CDK context (see cdk/README.md). */
  readonly settings?: DeploySettings;
  /**
   * The operator console's static files (`consoleFiles` of `@coffee-es/local`), shipped beside
   * the `operatorApi` function's bundle, which serves them. Needed when `operatorApi` is declared.
   */
  readonly consoleFiles?: string;
}

/** What differs between the stack's functions. */
type DeclaredFunction = Pick<
  SystemFunctionProps,
  'code' | 'kind' | 'name' | 'defaultTimeoutSeconds' | 'internetFacing'
> & { environment?: Record<string, string> };

/** HTTP functions answer a person waiting; API Gateway gives up after 30 seconds anyway. */
const httpTimeoutSeconds = 10;
const consumerTimeoutSeconds = 30;

/**
 * Deploys a declared system: its tables and queues (with dead-letter queues), one function per
 * route group and per consumer, each granted exactly the items its declaration names, the HTTP
 * API (a JWT authorizer with the routes' scopes in `prod`, IAM in `dev`), the stream and queue
 * mappings with safe defaults (bisection, bounded retries, failure destinations, partial batch
 * responses) and alarms. Throws at synth on a declaration it cannot deploy (a route group
 * without table grants, settings that fail their checks).
 *
 * @example
 * ```ts
 * new SystemStack(app, 'coffee-dev', { system, root: process.cwd() });
 * ```
 */
export class SystemStack extends Stack {
  readonly settings: DeploySettings;
  readonly tables: SystemTables;
  readonly queues: SystemQueues;
  readonly httpApi: SystemHttpApi;

  constructor(scope: Construct, id: string, props: SystemStackProps) {
    super(scope, id, props);
    const { system, root } = props;
    const settings = props.settings ?? readDeploySettings(this.node);
    this.settings = settings;
    const prod = settings.stage === 'prod';
    const logRemovalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.tables = new SystemTables(this, 'Tables', {
      tables: system.tables,
      customerManagedKeys: prod,
      caps: tableCaps(settings),
      operators: settings.journalOperators,
    });
    // Dead letters and parked stream failures are kept when a production stack goes.
    const parkingRemovalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.queues = new SystemQueues(this, 'Queues', {
      queues: system.queues,
      removalPolicy: parkingRemovalPolicy,
      customerManagedKey: prod,
    });

    const functions = new Map<string, IFunction>();
    const declare = (id: string, props: DeclaredFunction) => {
      const fn = new SystemFunction(this, id, {
        ...props,
        root,
        service: system.service,
        logLevel: settings.logLevel,
        logRemovalPolicy,
      });
      functions.set(id, fn.function);
      return fn;
    };

    const groups = new Map<string, IFunction>();
    for (const [name, group] of Object.entries(system.routeGroups)) {
      const fn = declare(`${pascal(name)}Routes`, {
        code: group,
        kind: 'route group',
        name,
        defaultTimeoutSeconds: httpTimeoutSeconds,
        internetFacing: true,
        environment: {
          [routeGroupEnvVar]: name,
          // Behind the JWT authorizer, a token route reached without verified claims is refused
          // (401) by the function too: a route deployed without its authorizer cannot run open.
          ...(prod ? { REQUIRE_TOKEN: 'true' } : {}),
        },
      });
      bindAccess(fn, group, this.tables, this.queues);
      groups.set(name, fn.function);
    }

    const streamFunctions = new Map<string, IFunction>();
    const parkingQueues = new Map<string, IQueue>();
    const failureQueues = new Map<string, IQueue>();
    for (const [name, consumer] of Object.entries(system.streamConsumers)) {
      const id = pascal(name);
      const fn = declare(id, {
        code: consumer,
        kind: 'stream consumer',
        name,
        defaultTimeoutSeconds: consumerTimeoutSeconds,
        internetFacing: false,
      });
      bindAccess(fn, consumer, this.tables, this.queues);
      const mapping = new StreamConsumer(this, `${id}Mapping`, {
        fn,
        table: this.tables.get(consumer.table).table,
        declaration: consumer,
        removalPolicy: parkingRemovalPolicy,
        encryption: this.queues.encryption(),
      });
      streamFunctions.set(id, fn.function);
      parkingQueues.set(`${id}Failures`, mapping.failures);
      failureQueues.set(name, mapping.failures);
    }

    for (const [name, consumer] of Object.entries(system.queueConsumers)) {
      const fn = declare(pascal(name), {
        code: consumer,
        kind: 'queue consumer',
        name,
        defaultTimeoutSeconds: consumerTimeoutSeconds,
        internetFacing: false,
      });
      bindAccess(fn, consumer, this.tables, this.queues);
      new QueueConsumer(this, `${pascal(name)}Mapping`, {
        fn,
        queue: this.queues.get(consumer.queue),
        declaration: consumer,
      });
    }
    for (const [name, pair] of this.queues.entries()) {
      parkingQueues.set(`${pascal(name)}DeadLetters`, pair.deadLetterQueue);
    }

    const operatorConsole = this.#operatorConsole(props, declare, failureQueues, prod);
    if (operatorConsole) groups.set(operatorGroup, operatorConsole.function);

    this.httpApi = new SystemHttpApi(this, 'Http', {
      routes: operatorConsole ? [...system.routes, ...operatorConsole.routes] : system.routes,
      groups,
      ...(system.defaultRouteGroup === undefined ? {} : { defaultGroup: system.defaultRouteGroup }),
      ...(system.corsOrigins ? { corsOrigins: system.corsOrigins } : {}),
      authorization: this.#authorization(settings),
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      logRemovalPolicy,
    });

    stackOutputs(this, {
      system,
      tables: this.tables,
      queues: this.queues,
      failureQueues,
      apiUrl: this.httpApi.stage.url,
      console: operatorConsole !== undefined,
    });

    new SystemAlarms(this, 'Alarms', {
      service: system.service,
      functions,
      streamConsumers: streamFunctions,
      parkingQueues,
      api: this.httpApi.api,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });
  }

  /** The declared `operatorApi` as a function behind the API under `/_console/`; none: nothing. */
  #operatorConsole(
    props: SystemStackProps,
    declare: (id: string, fn: DeclaredFunction) => SystemFunction,
    failureQueues: ReadonlyMap<string, IQueue>,
    prod: boolean,
  ) {
    const { system } = props;
    const code = operatorConsoleCode(system, props.root, props.consoleFiles);
    if (!code || !system.operators) return undefined;
    const fn = declare('OperatorConsole', {
      code,
      kind: 'operator console',
      name: 'operators',
      defaultTimeoutSeconds: httpTimeoutSeconds,
      internetFacing: true,
      // Behind the JWT authorizer, a call without verified claims is refused by the function too.
      environment: prod ? { REQUIRE_TOKEN: 'true' } : {},
    });
    bindOperatorAccess(fn, system, this.tables, this.queues, failureQueues);
    return { function: fn.function, routes: operatorRoutes(system.operators) };
  }

  /** Prod: JWT and scopes. Dev: IAM, unless an open demo was asked for, which is warned about. */
  #authorization(settings: DeploySettings): ApiAuthorization {
    if (settings.stage === 'prod') {
      const { jwtIssuer, jwtAudience } = settings;
      // settings.ts refuses a prod stage without them; this only narrows the types.
      if (!jwtIssuer || !jwtAudience) throw new Error('stage=prod needs jwtIssuer and jwtAudience');
      return { kind: 'jwt', issuer: jwtIssuer, audience: jwtAudience };
    }
    if (!settings.openApi) return { kind: 'iam' };
    Annotations.of(this).addWarningV2(
      'coffee:openApi',
      'openApi=true: every route of this API is open to anyone on the internet who has its URL, writes and personal data included. Use it for a demo with made-up data only.',
    );
    return { kind: 'none' };
  }
}
