/**
 * Synthesizes the stack the way `cdk synth` does (the context of cdk.json, cdk-nag's AWS
 * Solutions checks), once, without bundling the functions: property assertions do not need the
 * code, and esbuild is what makes a synth slow. synth.cdk.spec.ts bundles for real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { SystemStack } from '@coffee-es/cdk';
import { consoleFiles } from '@coffee-es/local';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export const root = resolve(import.meta.dirname, '../..');

/** A prod stage's context: a JWT issuer and audience (the tokens of an example identity provider). */
export const prodContext = {
  stage: 'prod',
  jwtIssuer: 'https://issuer.example.com/',
  jwtAudience: 'coffee-api',
} as const;

/** The context `cdk synth` reads from cdk.json: feature flags and default settings. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export interface Synthesized {
  readonly stack: SystemStack;
  readonly template: Template;
  /** The raw template, for walking resources by type. */
  readonly json: CfnTemplate;
  /** cdk-nag's findings (the synth throws on an unacknowledged error, so these are warnings). */
  readonly findings: readonly { ruleName: string; severity: string }[];
  /** The warnings the synth printed (annotations on the stack and its constructs). */
  readonly warnings: readonly string[];
  /** Every acknowledgment in the tree: rule id, the reason given, and the construct's path. */
  readonly acknowledgments: readonly { id: string; reason: unknown; path: string }[];
}

export interface CfnResource {
  readonly Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: templates are walked loosely and asserted field by field.
  readonly Properties?: any;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/**
 * Builds the stack of `system` with `context` over cdk.json's, runs cdk-nag, returns the template.
 *
 * @example
 * ```ts
 * const { template } = synthesize(system, { stage: 'prod', jwtIssuer, jwtAudience });
 * ```
 */
export function synthesize(
  system: SystemDeclaration<never>,
  context: Record<string, unknown> = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-spec-'));
  try {
    const app = new App({
      outdir,
      context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new SystemStack(app, 'spec', { system, root, consoleFiles });
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    const json = artifact.template as CfnTemplate;
    return {
      stack,
      template: Template.fromJSON(json),
      json,
      warnings: artifact.messages
        .filter((m) => m.level === 'warning')
        .map((m) => String(m.entry.data)),
      findings: nagFindings(join(assembly.directory, 'validation-report.json')),
      acknowledgments: acknowledgmentsIn(app),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function nagFindings(reportFile: string): { ruleName: string; severity: string }[] {
  let report: { pluginReports?: { pluginName: string; violations: Synthesized['findings'] }[] };
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return [];
  }
  return (report.pluginReports ?? [])
    .filter((r) => r.pluginName === 'AwsSolutions')
    .flatMap((r) => r.violations.map((v) => ({ ruleName: v.ruleName, severity: v.severity })));
}

function acknowledgmentsIn(scope: IConstruct): { id: string; reason: unknown; path: string }[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.map((m) => ({ m, path: c.node.path })))
    .filter(({ m }) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap(({ m, path }) =>
      Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({
        id,
        reason,
        path,
      })),
    );
}

/** Resources of one type, by logical id. */
export function resourcesOf(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type);
}

/** The logical id of the function with this description (`coffee route group orders`). */
export function functionId(json: CfnTemplate, description: string): string {
  const found = resourcesOf(json, 'AWS::Lambda::Function').filter(
    ([, r]) => r.Properties.Description === description,
  );
  if (found.length !== 1) throw new Error(`${found.length} functions described "${description}"`);
  return (found[0] as [string, CfnResource])[0];
}

/** Every logical id a value references through Ref or Fn::GetAtt. */
export function referencedIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  collectIds(value, ids);
  return ids;
}

function collectIds(value: unknown, ids: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, ids);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') ids.add(inner);
    else if (key === 'Fn::GetAtt' && Array.isArray(inner)) ids.add(String(inner[0]));
    else collectIds(inner, ids);
  }
}

/** An IAM policy statement as the template has it. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

export const actionsOf = (s: Pick<Statement, 'Action'>): string[] =>
  Array.isArray(s.Action) ? s.Action : [s.Action];

/** The statements of every policy attached to a function's role. */
export function statementsOf(json: CfnTemplate, fnId: string): Statement[] {
  const role = json.Resources[fnId]?.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(json, 'AWS::IAM::Policy')
    .filter(([, p]) => referencedIds(p.Properties.Roles).has(role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The logical id of a declared table, looked up from its construct. */
export const tableId = (s: Synthesized, name: string): string =>
  Stack.of(s.stack).getLogicalId(s.stack.tables.get(name).table.node.defaultChild as CfnTable);

/** The logical id of a declared queue (or of its dead-letter queue). */
export const queueId = (
  s: Synthesized,
  name: string,
  which: 'queue' | 'deadLetterQueue' = 'queue',
): string =>
  Stack.of(s.stack).getLogicalId(s.stack.queues.get(name)[which].node.defaultChild as CfnQueue);
