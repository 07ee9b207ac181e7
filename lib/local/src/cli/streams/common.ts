/**
 * What the stream commands (`events`, `state`, `entities`, `snapshots`) share: their flags
 * (`--json`, `--region --stack`), exit codes (bad input 2, failure 1), the entity types the system
 * module knows, and the journal of the target.
 */
import { type EventSchemasByType, eventSchemasOf } from '@coffee-es/core';
import { DynamoJournal } from '@coffee-es/dynamodb';
import type { AnyEntity, AppModule } from '../appModule.ts';
import { dynamoClientOf } from '../endpoints.ts';
import { type FlagSpec, type ParsedArgs, parseFlags, UsageError } from '../ops/flags.ts';
import { type Output, output, takeJsonFlag } from '../ops/output.ts';
import { type Target, tableName, takeTargetFlags, targetEndpoints } from '../ops/target.ts';

/** The journal of the target, and how to let go of its client. */
export interface TargetJournal {
  readonly journal: DynamoJournal;
  readonly table: {
    readonly client: ReturnType<typeof dynamoClientOf>;
    readonly tableName: string;
  };
  close(): void;
}

/** What a stream command's body gets. */
export interface StreamCommandContext {
  readonly app: AppModule;
  readonly out: Output;
  readonly args: ParsedArgs;
  /** Connects to the target's journal (after the arguments are checked). */
  readonly connect: () => Promise<TargetJournal>;
}

/**
 * Runs a stream command: parses its flags (a {@link UsageError}, from here or the body, prints
 * the message and `help` and exits 2), then the body; any other error prints
 * `<name> failed: <message>` and exits 1.
 */
export async function runStreamCommand(
  name: string,
  help: string,
  app: AppModule,
  root: string,
  argv: readonly string[],
  spec: FlagSpec,
  body: (context: StreamCommandContext) => Promise<number>,
): Promise<number> {
  const { json, rest } = takeJsonFlag(argv);
  const out = output(json);
  let target: Target;
  let args: ParsedArgs;
  try {
    const taken = takeTargetFlags(rest);
    target = taken.target;
    args = parseFlags(taken.rest, spec);
  } catch (error) {
    return failed(name, help, error);
  }
  const connect = async (): Promise<TargetJournal> => {
    const endpoints = await targetEndpoints(app.system, root, target);
    const client = dynamoClientOf(endpoints);
    const journalTable = tableName(endpoints, journalTableOf(app));
    return {
      journal: new DynamoJournal({ client, tableName: journalTable }),
      table: { client, tableName: journalTable },
      close: () => client.destroy(),
    };
  };
  try {
    return await body({ app, out, args, connect });
  } catch (error) {
    return failed(name, help, error);
  }
}

function failed(name: string, help: string, error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${help}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name} failed: ${message}\n`);
  return 1;
}

/**
 * The journal's logical name: the table a stream consumer reads (its stream is the journal's),
 * else the one named `journal`.
 */
function journalTableOf(app: AppModule): string {
  const consumers = Object.values(app.system.streamConsumers ?? {}) as { table?: string }[];
  return consumers.find((c) => typeof c.table === 'string')?.table ?? 'journal';
}

/**
 * The event schemas by entity type: the read side's, overridden by the module's `entities`, then
 * by its `eventSchemas` (the most specific wins).
 */
export function schemasOf(app: AppModule): EventSchemasByType {
  return {
    ...(app.system.readSide?.eventSchemas ?? {}),
    ...eventSchemasOf(app.entities ?? []),
    ...(app.eventSchemas ?? {}),
  };
}

/** The entity type named, checked against those the system module knows (else exit 2). */
export function knownEntityType(app: AppModule, type: string | undefined): string {
  const known = Object.keys(schemasOf(app)).sort();
  if (type !== undefined && known.includes(type)) return type;
  throw new UsageError(
    `${type === undefined ? 'Which entity type?' : `Unknown entity type: ${type}`} Known: ${known.join(', ') || 'none (the system module exports no entities nor eventSchemas)'}`,
  );
}

/** The entity named, from the system module's `entities` (else exit 2, listing them). */
export function knownEntity(app: AppModule, type: string | undefined): AnyEntity {
  const entities = app.entities ?? [];
  const entity = entities.find((e) => e.type === type);
  if (entity) return entity;
  const known = entities.map((e) => e.type).sort();
  throw new UsageError(
    `${type === undefined ? 'Which entity type?' : `Unknown entity type: ${type}`} Known: ${known.join(', ') || 'none (the system module exports no `entities`)'}`,
  );
}

/** The positionals, refusing more than `names` (the ones the command takes). */
export function positionals(args: ParsedArgs, names: readonly string[]): string[] {
  if (args.positionals.length > names.length)
    throw new UsageError(`Unexpected argument: ${args.positionals.slice(names.length).join(' ')}`);
  return [...args.positionals];
}

/** Aborts on SIGINT or SIGTERM (a follow or a long run ends cleanly); `release` unhooks it. */
export function stopSignal(): { readonly signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
