/**
 * A declared function as a Lambda: bundled by the locally installed esbuild (no Docker), ESM,
 * minified with source maps (and Node told to use them), arm64 on a current Node.js runtime, the
 * AWS SDK left to the runtime, X-Ray active, Powertools configured through the environment. Its
 * role starts empty: logs to its own log group, then tables and queues bound one at a time, the
 * environment variable and the least-privilege grant together.
 */
import { basename, resolve } from 'node:path';
import type { FunctionCode } from '@coffee-es/aws-lambda';
import type { ItemAccess } from '@coffee-es/dynamodb';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableKeyStatement, tableStatements } from './tableGrants.ts';

/** The Lambda runtime every function runs on; the bundle targets the same Node.js version. */
export const lambdaRuntime = Runtime.NODEJS_24_X;

/**
 * The Node.js major of {@link lambdaRuntime}: what the bundles target, and what local tools and
 * tests must run on so that they exercise the code on the runtime it deploys to.
 *
 * @example
 * ```ts
 * import { lambdaNodeMajor } from '@coffee-es/cdk';
 * const major = Number(process.versions.node.split('.')[0]);
 * if (major !== lambdaNodeMajor) throw new Error(`Run on Node.js ${lambdaNodeMajor}, not ${major}`);
 * ```
 */
export const lambdaNodeMajor = nodeMajorOf(lambdaRuntime.name);
const esbuildTarget = `node${lambdaNodeMajor}`;

function nodeMajorOf(runtimeName: string): number {
  const major = /^nodejs(\d+)\.x$/.exec(runtimeName)?.[1];
  if (major === undefined) throw new Error(`${runtimeName} is not a Node.js runtime`);
  return Number(major);
}

/**
 * The code of one declared function (an entry bundled with esbuild), the project root, its
 * environment and settings.
 */
export interface SystemFunctionProps {
  /** The project root that `code.entry` is relative to (where package-lock.json is). */
  readonly root: string;
  readonly code: FunctionCode;
  /** `route group`, `stream consumer`, `queue consumer`: shown in the description. */
  readonly kind: string;
  readonly name: string;
  readonly service: string;
  readonly logLevel: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** Log groups of a production stack outlive it; a dev stack leaves nothing behind. */
  readonly logRemovalPolicy: RemovalPolicy;
  readonly defaultTimeoutSeconds: number;
  /** Reachable from the internet (a route group): stricter rules for its grants. */
  readonly internetFacing: boolean;
}

/**
 * One Lambda function of the declared system.
 *
 * @example
 * ```ts
 * const fn = new SystemFunction(this, 'Orders', { root, code: group, kind: 'route group', ... });
 * fn.bindTable('JOURNAL_TABLE', tables.get('journal'), { read: true, write: true });
 * ```
 */
export class SystemFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly #who: string;
  readonly #internetFacing: boolean;

  constructor(scope: Construct, id: string, props: SystemFunctionProps) {
    super(scope, id);
    this.#who = `${props.kind} ${props.name}`;
    this.#internetFacing = props.internetFacing;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    // No managed policy: AWSLambdaBasicExecutionRole would let it write to every log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.service} ${props.kind} ${props.name}`,
    });
    // The group exists before the function, so creating streams and writing them is enough.
    logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      projectRoot: props.root,
      entry: resolve(props.root, props.code.entry),
      handler: props.code.handler ?? 'handler',
      depsLockFilePath: resolve(props.root, 'package-lock.json'),
      description: `${props.service} ${props.kind} ${props.name}`,
      runtime: lambdaRuntime,
      architecture: Architecture.ARM_64,
      memorySize: props.code.memoryMb ?? 512,
      timeout: Duration.seconds(props.code.timeoutSeconds ?? props.defaultTimeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup,
      role: this.role,
      // The SDK v3 keeps connections alive by itself; the variable only mattered for v2.
      awsSdkConnectionReuse: false,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: props.service,
        LOG_LEVEL: props.logLevel,
        // Stack traces in the logs point at the sources, through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: esbuildTarget,
        // Prefer packages' ES module builds: they tree-shake, CommonJS builds do not.
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Stack traces map to file and line without shipping the sources themselves.
        sourcesContent: false,
        // The runtime provides SDK v3; bundling it would only grow the package and cold start.
        externalModules: ['@aws-sdk/*'],
        // The framework's packages are bundled from their TypeScript sources (they ship them).
        esbuildArgs: { '--conditions': '@coffee-es/source' },
        ...(props.code.files?.length ? { commandHooks: copyFiles(props.code.files) } : {}),
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" only for actions without resource-level permissions: X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream sources). The CDK tests check that no data action is granted on "*".',
    });
  }

  /**
   * Gives the function a table: its name in `envVar`, and the declared requests on the declared
   * items (see `tableStatements`), plus the use of the table's key when it has its own.
   */
  bindTable(
    envVar: string,
    table: Table,
    access: {
      readonly name: string;
      readonly read: boolean;
      readonly write: boolean;
      readonly items: readonly ItemAccess[] | undefined;
    },
  ): void {
    this.function.addEnvironment(envVar, table.tableName);
    const statements = tableStatements({
      who: this.#who,
      tableName: access.name,
      tableArn: table.tableArn,
      read: access.read,
      write: access.write,
      items: access.items,
      internetFacing: this.#internetFacing,
    });
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
    if (table.encryptionKey) {
      this.role.addToPrincipalPolicy(tableKeyStatement(table.encryptionKey, access.write));
    }
  }

  /**
   * Gives the function a queue: its URL in `envVar`, and the right to send to it (SendMessage,
   * which also covers SendMessageBatch) or to consume it; `key` is the queue's own KMS key.
   */
  bindQueue(envVar: string, queue: IQueue, access: 'send' | 'consume', key?: IKey): void {
    this.function.addEnvironment(envVar, queue.queueUrl);
    if (access === 'consume') {
      queue.grantConsumeMessages(this.function);
      return;
    }
    grantSend(this.role, queue, key);
  }
}

/** SendMessage on `queue`, and with a key of its own, what SQS needs to encrypt for the sender. */
export function grantSend(role: Role, queue: IQueue, key?: IKey): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  if (key) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
      }),
    );
  }
}

/** Bundling hooks that copy declared files beside the bundle (`FunctionCode.files`). */
function copyFiles(files: readonly string[]): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      files.map((file) => `cp "${inputDir}/${file}" "${outputDir}/${basename(file)}"`),
  };
}
