/**
 * What holds for every deployed role, read from the synthesized template: logs go to the
 * function's own log group (no managed policy), the journal denies item deletion to everyone but
 * the root user and the named operators, and no statement grants a wildcard action.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import {
  actionsOf,
  referencedIds,
  resourcesOf,
  type Statement,
  type Synthesized,
  statementsOf,
  synthesize,
  tableId,
} from './synthesize.ts';

const operator = 'arn:aws:iam::123456789012:role/JournalRepair';

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthesize(system);
  prod = synthesize(system, {
    stage: 'prod',
    jwtIssuer: 'https://issuer.example.com/',
    jwtAudience: 'coffee-api',
    journalOperators: operator,
  });
});

describe('logs', () => {
  it('come from no managed policy: each role writes only its own function log group', () => {
    for (const [fnId, fn] of resourcesOf(prod.json, 'AWS::Lambda::Function')) {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      expect(prod.json.Resources[roleId]?.Properties.ManagedPolicyArns, fnId).toBeUndefined();
      const ownLogs = [...referencedIds(fn.Properties.LoggingConfig.LogGroup)];
      const logStatements = statementsOf(prod.json, fnId).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('logs:')),
      );
      expect(logStatements).toHaveLength(1);
      expect(actionsOf(logStatements[0] as Statement).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
      expect([...referencedIds(logStatements[0]?.Resource)]).toEqual(ownLogs);
    }
  });
});

describe('the journal', () => {
  it('denies item deletion to every principal but the root user and the named operators', () => {
    for (const [s, operators] of [
      [dev, []],
      [prod, [operator]],
    ] as const) {
      const policy = s.json.Resources[tableId(s, 'journal')]?.Properties.ResourcePolicy;
      const deny = ((policy?.PolicyDocument.Statement ?? []) as Statement[]).find(
        (st) => st.Effect === 'Deny',
      );
      expect(deny?.Principal).toEqual({ AWS: '*' });
      expect(actionsOf(deny as Statement).sort()).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PartiQLDelete',
      ]);
      const allowed = deny?.Condition?.ArnNotLike?.['aws:PrincipalArn'] as unknown[];
      expect(JSON.stringify(allowed[0])).toMatch(/:root/);
      expect(allowed.slice(1)).toEqual(operators);
      // Nothing in the stack allows what the policy denies, so the deny is never needed today.
      for (const [, p] of resourcesOf(s.json, 'AWS::IAM::Policy')) {
        for (const st of p.Properties.PolicyDocument.Statement as Statement[]) {
          if (!referencedIds(st.Resource).has(tableId(s, 'journal'))) continue;
          expect(actionsOf(st)).not.toContain('dynamodb:DeleteItem');
        }
      }
    }
  });
});

describe('everything', () => {
  it.each([
    ['dev', () => dev],
    ['prod', () => prod],
  ])(
    'grants no wildcard action, and Resource "*" only where there is no resource ARN (%s)',
    (_stage, stack) => {
      const withoutResourceLevel = new Set([
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'dynamodb:ListStreams',
      ]);
      for (const [, policy] of resourcesOf(stack().json, 'AWS::IAM::Policy')) {
        for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
          for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
          if ([statement.Resource].flat().includes('*')) {
            for (const action of actionsOf(statement))
              expect(withoutResourceLevel).toContain(action);
          }
        }
      }
    },
  );
});
