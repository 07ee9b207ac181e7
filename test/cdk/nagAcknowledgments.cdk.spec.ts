/**
 * cdk-nag stays honest: every acknowledgment in the stack (dev, prod, open demo) answers a
 * finding that the AWS Solutions rules really report on that construct. An acknowledgment left
 * behind after its cause went away fails here.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import { type Synthesized, synthesize } from './synthesize.ts';

/** What the rules find when no acknowledgment is read (cdk-nag looks them up by this key). */
function everyFinding(s: Synthesized): { ruleName: string; paths: string[] }[] {
  const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  Object.defineProperty(Validations, 'ACKNOWLEDGED_RULES_METADATA_KEY', {
    value: 'spec:ignore-acknowledgments',
    configurable: true,
  });
  try {
    return new AwsSolutionsChecks().validateScope(s.stack).violations.map((v) => ({
      ruleName: v.ruleName,
      paths: v.violatingResources.map((r) => r.constructPath ?? ''),
    }));
  } finally {
    Object.defineProperty(Validations, 'ACKNOWLEDGED_RULES_METADATA_KEY', {
      value: key,
      configurable: true,
    });
  }
}

const stages: [string, Record<string, unknown>][] = [
  ['dev', {}],
  ['prod', { stage: 'prod', jwtIssuer: 'https://issuer.example.com/', jwtAudience: 'api' }],
  ['open demo', { openApi: 'true' }],
];

describe('cdk-nag acknowledgments', () => {
  it.each(stages)('each one on the %s stack answers a finding on its construct', (_, context) => {
    const s = synthesize(system, context);
    const findings = everyFinding(s);
    expect(findings.length).toBeGreaterThan(0);
    for (const { id, path } of s.acknowledgments) {
      const rule = id.replace(/^annotation::/i, '');
      const answered = findings.some(
        (f) => f.ruleName === rule && f.paths.some((p) => p === path || p.startsWith(`${path}/`)),
      );
      expect(answered, `${rule} on ${path}`).toBe(true);
    }
  });
});
