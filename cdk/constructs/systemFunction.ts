/**
 * A declared function as a Lambda: bundled by the locally installed esbuild (no Docker), ESM,
 * minified with source maps, arm64 on a current Node.js runtime, the AWS SDK left to the
 * runtime, X-Ray active, Powertools configured through the environment. Tables and queues are
 * bound one at a time: the environment variable and the least-privilege grant come together.
 */
import { resolve } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionCode } from '../../lib/system/declaration.ts';

/** The Lambda runtime every function runs on; the bundle targets the same Node.js version. */
export const lambdaRuntime = Runtime.NODEJS_24_X;
const esbuildTarget = 'node24';

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

  constructor(scope: Construct, id: string, props: SystemFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
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
      // The SDK v3 keeps connections alive by itself; the variable only mattered for v2.
      awsSdkConnectionReuse: false,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: props.service,
        LOG_LEVEL: props.logLevel,
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
      },
    });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'AWSLambdaBasicExecutionRole only lets the function write CloudWatch logs; it is the managed policy Lambda documents for this.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Resource "*" only for actions without resource-level permissions: X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream sources). The CDK tests check that no data action is granted on "*".',
      },
    );
  }

  /**
   * Gives the function a table: its name in `envVar`, and read and/or write access to its items
   * (and to its indexes, for reads). Nothing else: no table management, no `dynamodb:*`.
   */
  bindTable(envVar: string, table: Table, access: { read: boolean; write: boolean }): void {
    this.function.addEnvironment(envVar, table.tableName);
    if (access.read && access.write) table.grantReadWriteData(this.function);
    else if (access.read) table.grantReadData(this.function);
    else if (access.write) table.grantWriteData(this.function);
    const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnTable);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
      reason:
        "Queries may use any of this table's own indexes; the wildcard never reaches beyond the one table.",
    });
  }

  /** Gives the function a queue: its URL in `envVar`, and the right to send to it or consume it. */
  bindQueue(envVar: string, queue: IQueue, access: 'send' | 'consume'): void {
    this.function.addEnvironment(envVar, queue.queueUrl);
    if (access === 'send') queue.grantSendMessages(this.function);
    else queue.grantConsumeMessages(this.function);
  }
}
