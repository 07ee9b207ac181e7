/**
 * CloudWatch alarms for what goes wrong quietly in an event-sourced system: streams falling
 * behind, messages parked in dead-letter queues and failure destinations, server errors,
 * function errors and throttles, and a burst of concurrency conflicts.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { conflictsMetricName, serviceDimension } from '../metrics.ts';

/** What the alarms watch: the service's functions, queues, tables and API, and who is told. */
export interface SystemAlarmsProps {
  readonly service: string;
  /** Every function, by a readable name. */
  readonly functions: ReadonlyMap<string, IFunction>;
  /** Functions driven by a stream, by name: their iterator age says how far behind they are. */
  readonly streamConsumers: ReadonlyMap<string, IFunction>;
  /** Queues that should stay empty: dead-letter queues and failure destinations, by name. */
  readonly parkingQueues: ReadonlyMap<string, IQueue>;
  readonly api: HttpApi;
  /** Present: an SNS topic with this e-mail subscription receives every alarm. */
  readonly alarmEmail?: string;
}

/** Read models more than this far behind the journal are visibly stale. */
const maxIteratorAge = Duration.minutes(5);
/** Conflicts are normal under contention; this many in five minutes means a hot entity. */
const conflictsPerFiveMinutes = 50;
/** A few 5xx can be a deploy or a cold dependency; this many in five minutes is an outage. */
const serverErrorsPerFiveMinutes = 5;

/**
 * The stack's alarms, optionally wired to an e-mail topic.
 *
 * @example
 * ```ts
 * new SystemAlarms(this, 'Alarms', { service, functions, streamConsumers, parkingQueues, api });
 * ```
 */
export class SystemAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  readonly topic: Topic | undefined;

  constructor(scope: Construct, id: string, props: SystemAlarmsProps) {
    super(scope, id);
    this.topic = props.alarmEmail ? this.#topic(props.alarmEmail) : undefined;
    const period = Duration.minutes(5);
    for (const [name, fn] of props.streamConsumers) {
      this.#alarm(`${name}IteratorAge`, {
        metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: maxIteratorAge.toMilliseconds(),
        evaluationPeriods: 5,
        description: `${name} is more than ${maxIteratorAge.toMinutes()} minutes behind its stream`,
      });
    }
    for (const [name, queue] of props.parkingQueues) {
      this.#alarm(`${name}Messages`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 1,
        description: `${name} holds messages that need a look (and a redrive)`,
      });
    }
    for (const [name, fn] of props.functions) {
      this.#alarm(`${name}Errors`, {
        metric: fn.metricErrors({ statistic: 'Sum', period }),
        threshold: 1,
        description: `${name} failed invocations`,
      });
      this.#alarm(`${name}Throttles`, {
        metric: fn.metricThrottles({ statistic: 'Sum', period }),
        threshold: 1,
        description: `${name} was throttled`,
      });
    }
    this.#alarm('Api5xx', {
      metric: props.api.metricServerError({ statistic: 'Sum', period }),
      threshold: serverErrorsPerFiveMinutes,
      description: 'The HTTP API answers with server errors',
    });
    this.#alarm('Conflicts', {
      metric: new Metric({
        namespace: props.service,
        metricName: conflictsMetricName,
        dimensionsMap: { [serviceDimension]: props.service },
        statistic: 'Sum',
        period,
      }),
      threshold: conflictsPerFiveMinutes,
      description: 'Many writers race for the same entities (optimistic concurrency conflicts)',
    });
  }

  #alarm(
    id: string,
    options: {
      metric: IMetric;
      threshold: number;
      description: string;
      evaluationPeriods?: number;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      // No data means no traffic, not trouble.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    if (this.topic) alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  #topic(email: string): Topic {
    const topic = new Topic(this, 'Topic', { displayName: 'Alarms', enforceSSL: true });
    topic.addSubscription(new EmailSubscription(email));
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no customer data, and CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key; a customer-managed key would cost more than what it protects.',
    });
    return topic;
  }
}
