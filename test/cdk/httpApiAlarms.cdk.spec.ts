/**
 * The HTTP API (dev and prod stages), the alarms and cdk-nag's verdict on the stack built from
 * the system declaration, asserted on the synthesized template's properties.
 */

import { conflictsMetricName } from '@coffee-es/cdk';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { metricNames } from '../../functions/app/metrics.ts';
import { system } from '../../functions/app/system.ts';
import {
  functionId,
  queueId,
  referencedIds,
  resourcesOf,
  type Synthesized,
  synthesize,
  tableId,
} from './synthesize.ts';

const issuer = 'https://issuer.example.com/';
const audience = ['coffee-api'];
const origins = ['https://app.example.com'];

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthesize(system, { alarmEmail: 'ops@example.com' });
  prod = synthesize(
    { ...system, corsOrigins: origins },
    { stage: 'prod', jwtIssuer: issuer, jwtAudience: audience.join(',') },
  );
});

describe('HTTP API', () => {
  it('serves every declared route, payload 2.0, through its group function', () => {
    const routes = resourcesOf(dev.json, 'AWS::ApiGatewayV2::Route');
    // And `$default` for everything else (authorization.cdk.spec.ts).
    // And the operator console's (operatorConsole.cdk.spec.ts).
    const console = routes.filter(([, r]) => r.Properties.RouteKey.includes('/_console'));
    expect(console).toHaveLength(4);
    expect(
      routes
        .filter((route) => !console.includes(route))
        .map(([, r]) => r.Properties.RouteKey)
        .sort(),
    ).toEqual([...system.routes.map((r) => `${r.method} ${r.path}`), '$default'].sort());
    for (const route of system.routes) {
      const [, found] = routes.find(
        ([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`,
      ) ?? [undefined, undefined];
      const integrationId = String(found?.Properties.Target['Fn::Join'][1][1].Ref);
      const integration = dev.json.Resources[integrationId]?.Properties;
      expect(integration.PayloadFormatVersion).toBe('2.0');
      expect(referencedIds(integration.IntegrationUri)).toEqual(
        new Set([functionId(dev.json, `coffee route group ${route.group}`)]),
      );
    }
  });

  it('throttles the default stage and writes JSON access logs', () => {
    const [[, stage] = ['', undefined]] = resourcesOf(dev.json, 'AWS::ApiGatewayV2::Stage');
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    const destination = [...referencedIds(stage?.Properties.AccessLogSettings.DestinationArn)][0];
    expect(dev.json.Resources[destination as string]?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('configures no CORS when the declaration asks for none', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.absent(),
    });
  });

  it('allows the declared CORS origins', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: origins,
        AllowHeaders: Match.arrayWith(['idempotency-key', 'if-match']),
      }),
    });
  });

  it('keeps dead letters and parked stream failures when a prod stack is deleted', () => {
    const queues = (json: Synthesized['json']) =>
      resourcesOf(json, 'AWS::SQS::Queue').map(
        ([, q]) => (q as { DeletionPolicy?: string }).DeletionPolicy,
      );
    expect(queues(prod.json).length).toBeGreaterThan(0);
    expect(new Set(queues(prod.json))).toEqual(new Set(['Retain']));
    expect(new Set(queues(dev.json))).toEqual(new Set(['Delete']));
  });

  it('refuses stage=prod without an issuer and an audience', () => {
    expect(() => synthesize(system, { stage: 'prod' })).toThrow(/jwtIssuer and jwtAudience/);
  });

  it('outputs the API URL, and the table names and queue URLs the operational commands read', () => {
    const outputs = Object.values(dev.json.Outputs ?? {}) as {
      Value: unknown;
      Description: string;
    }[];
    expect(JSON.stringify(outputs)).toContain('execute-api');
    for (const [name, table] of Object.entries(system.tables)) {
      const output = outputs.find((o) => o.Description.startsWith(`${table.envVar}:`));
      expect(output?.Value).toEqual({ Ref: tableId(dev, name) });
    }
    for (const [name, queue] of Object.entries(system.queues)) {
      const output = outputs.find((o) => o.Description.startsWith(`${queue.envVar}:`));
      expect(output?.Value).toEqual({ Ref: queueId(dev, name) });
    }
    // Each stream consumer's failure queue, for `coffee-es failures list|redrive --stack`.
    const keys = Object.keys(dev.json.Outputs ?? {});
    for (const name of Object.keys(system.streamConsumers)) {
      const key = `${name[0]?.toUpperCase()}${name.slice(1)}FailureQueueUrl`;
      expect(keys, key).toContain(key);
      const value = dev.json.Outputs?.[key]?.Value as { Ref?: string } | undefined;
      expect(dev.json.Resources[value?.Ref ?? '']?.Type).toBe('AWS::SQS::Queue');
    }
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOf(dev.json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

  it('watches each stream consumer iterator age', () => {
    for (const name of Object.keys(system.streamConsumers)) {
      const fnId = functionId(dev.json, `coffee stream consumer ${name}`);
      expect(
        alarms().filter(
          (a) => a.MetricName === 'IteratorAge' && referencedIds(a.Dimensions).has(fnId),
        ),
        name,
      ).toHaveLength(1);
    }
  });

  it('watches every dead-letter queue and failure destination for messages', () => {
    const parking = [
      ...Object.keys(system.queues).map((q) => queueId(dev, q, 'deadLetterQueue')),
      ...resourcesOf(dev.json, 'AWS::Lambda::EventSourceMapping').flatMap(([, m]) => [
        ...referencedIds(m.Properties.DestinationConfig?.OnFailure?.Destination ?? null),
      ]),
    ];
    expect(parking.length).toBe(
      Object.keys(system.queues).length + Object.keys(system.streamConsumers).length,
    );
    for (const queue of parking) {
      expect(
        alarms().filter(
          (a) =>
            a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            referencedIds(a.Dimensions).has(queue),
        ),
      ).toHaveLength(1);
    }
  });

  it('watches every function for errors and throttles, and the API for 5xx', () => {
    for (const [fnId] of resourcesOf(dev.json, 'AWS::Lambda::Function')) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(
          alarms().filter((a) => a.MetricName === metric && referencedIds(a.Dimensions).has(fnId)),
        ).toHaveLength(1);
      }
    }
    expect(alarms().filter((a) => a.MetricName === '5xx')).toHaveLength(1);
  });

  it('watches the conflict rate the entity stores publish, in the service namespace', () => {
    expect(conflictsMetricName).toBe(metricNames.conflicts);
    expect(
      alarms().filter(
        (a) =>
          a.Namespace === system.service &&
          a.MetricName === conflictsMetricName &&
          JSON.stringify(a.Dimensions) ===
            JSON.stringify([{ Name: 'service', Value: system.service }]),
      ),
    ).toHaveLength(1);
  });

  it('notifies the alarm topic when an address is given', () => {
    dev.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    for (const alarm of alarms()) expect(alarm.AlarmActions).toHaveLength(1);
    expect(resourcesOf(prod.json, 'AWS::SNS::Topic')).toHaveLength(0);
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding (an error would have stopped the synth)', () => {
    expect(dev.findings).toEqual([]);
    expect(prod.findings).toEqual([]);
  });

  it('gives a reason for every acknowledgment', () => {
    expect(dev.acknowledgments.length).toBeGreaterThan(0);
    for (const { id, reason } of [...dev.acknowledgments, ...prod.acknowledgments]) {
      expect(typeof reason === 'string' && reason.length >= 40, id).toBe(true);
    }
  });
});
