/**
 * Which system an operator command works on: the running local `coffee-es start` by default
 * (or the tables the environment names, see endpoints.ts), or a deployed stack given
 * `--region <r> --stack <name>`, whose CloudFormation outputs name its tables and queues
 * (`<Name>TableName`, `<Name>QueueUrl`, `<Name>DeadLetterQueueUrl`, as the CDK stack writes them).
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { type Endpoints, findEndpoints } from '../endpoints.ts';
import { UsageError } from './flags.ts';

/** The local system (or the environment's), or a deployed stack. */
export type Target =
  | { readonly kind: 'local' }
  | { readonly kind: 'stack'; readonly region: string; readonly stack: string };

/** What the target flags say about themselves in every command's `--help`. */
export const targetHelp = `Target: the running \`coffee-es start\` by default; a deployed stack with
  --region <region> --stack <stack name> (its CloudFormation outputs name the tables and queues;
  the AWS credentials come from the usual environment, profile or role).`;

/**
 * `--region <r> --stack <name>` taken out of the arguments, and the rest. Both or neither: a
 * {@link UsageError} otherwise.
 *
 * @example
 * ```ts
 * const { target, rest } = takeTargetFlags(['Order', 'o-1', '--region', 'eu-west-1', '--stack', 'Coffee']);
 * const endpoints = await targetEndpoints(app.system, root, target);
 * ```
 */
export function takeTargetFlags(args: readonly string[]): { target: Target; rest: string[] } {
  const rest: string[] = [];
  const taken: { region?: string; stack?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const match = /^--(region|stack)(?:=(.*))?$/.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const name = match[1] as 'region' | 'stack';
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '' || value.startsWith('--'))
      throw new UsageError(`--${name} needs a value`);
    taken[name] = value;
  }
  if (taken.region === undefined && taken.stack === undefined)
    return { target: { kind: 'local' }, rest };
  if (taken.region === undefined || taken.stack === undefined)
    throw new UsageError('--region and --stack go together: the deployed stack and its region');
  return { target: { kind: 'stack', region: taken.region, stack: taken.stack }, rest };
}

/** `readModels` → `ReadModels`, as the CDK stack names its outputs. */
const pascal = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * The endpoints a stack's `DescribeStacks` answer names for `system`: each declared table's
 * `<Name>TableName`, each queue's `<Name>QueueUrl` and `<Name>DeadLetterQueueUrl`, and each stream
 * consumer's `<Name>FailureQueueUrl` where the stack has it (stacks deployed before it existed do
 * not). Throws when another output is missing (another system's stack, or one deployed before
 * the output existed), naming it and the outputs the stack has.
 */
export function endpointsFromStackOutputs(
  system: Pick<SystemDeclaration<never>, 'tables' | 'queues'> &
    Partial<Pick<SystemDeclaration<never>, 'streamConsumers'>>,
  region: string,
  stackName: string,
  answer: Pick<DescribeStacksCommandOutput, 'Stacks'>,
): Endpoints {
  const stack = answer.Stacks?.[0];
  if (!stack) throw new Error(`No stack ${stackName} in ${region}`);
  const outputs = new Map<string, string>();
  for (const o of stack.Outputs ?? []) {
    if (o.OutputKey && o.OutputValue) outputs.set(o.OutputKey, o.OutputValue);
  }
  const missing: string[] = [];
  const pick = (key: string) => {
    const value = outputs.get(key);
    if (value === undefined) missing.push(key);
    return value ?? '';
  };
  const byName = (names: string[], suffix: string) =>
    Object.fromEntries(names.map((n) => [n, pick(`${pascal(n)}${suffix}`)]));
  const queueNames = Object.keys(system.queues);
  let endpoints: Endpoints = {
    source: 'stack',
    region,
    tables: byName(Object.keys(system.tables), 'TableName'),
    queues: byName(queueNames, 'QueueUrl'),
    deadLetters: byName(queueNames, 'DeadLetterQueueUrl'),
  };
  const failures = Object.keys(system.streamConsumers ?? {}).flatMap((n) => {
    const url = outputs.get(`${pascal(n)}FailureQueueUrl`);
    return url ? [[n, url] as const] : [];
  });
  if (failures.length > 0) endpoints = { ...endpoints, failures: Object.fromEntries(failures) };
  if (missing.length > 0) {
    const has = [...outputs.keys()].sort().join(', ') || 'none';
    throw new Error(
      `Stack ${stackName} (${region}) has no output ${missing.join(', ')}: is it this system's stack? Its outputs: ${has}`,
    );
  }
  return endpoints;
}

/** How the stack's outputs are read (CloudFormation by default; a spec passes its own). */
export type DescribeStack = (
  region: string,
  stackName: string,
) => Promise<Pick<DescribeStacksCommandOutput, 'Stacks'>>;

const describeWithCloudFormation: DescribeStack = async (region, stackName) => {
  const client = new CloudFormationClient({ region });
  try {
    return await client.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not read stack ${stackName} in ${region}: ${reason}`, { cause: error });
  } finally {
    client.destroy();
  }
};

/**
 * Where the target's tables and queues are: the stack's outputs, or (locally) the environment
 * or the running `coffee-es start`.
 */
export async function targetEndpoints(
  system: Pick<SystemDeclaration<never>, 'tables' | 'queues'> &
    Partial<Pick<SystemDeclaration<never>, 'streamConsumers'>>,
  root: string,
  target: Target,
  describe: DescribeStack = describeWithCloudFormation,
): Promise<Endpoints> {
  if (target.kind === 'local') return findEndpoints(root);
  return endpointsFromStackOutputs(
    system,
    target.region,
    target.stack,
    await describe(target.region, target.stack),
  );
}

/** The physical name of a logical table, or an error saying the target has none. */
export function tableName(endpoints: Endpoints, logical: string): string {
  const name = endpoints.tables[logical];
  if (!name) {
    const known = Object.keys(endpoints.tables).join(', ') || 'none';
    throw new Error(`The target names no ${logical} table (it names: ${known})`);
  }
  return name;
}
