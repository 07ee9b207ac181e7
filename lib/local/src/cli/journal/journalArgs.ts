/**
 * The arguments every journal command takes: its own flags, `--json`, and the target
 * (`--region <r> --stack <name>`, else the running `coffee-es start` or the environment).
 */
import type { AppModule } from '../appModule.ts';
import type { Endpoints } from '../endpoints.ts';
import { type FlagSpec, parseFlags, UsageError } from '../ops/flags.ts';
import { takeJsonFlag } from '../ops/output.ts';
import { takeTargetFlags, targetEndpoints } from '../ops/target.ts';

export interface JournalArgs {
  readonly values: Readonly<Record<string, string>>;
  readonly switches: ReadonlySet<string>;
  readonly json: boolean;
  endpoints(app: AppModule, root: string): Promise<Endpoints>;
}

export function journalArgs(args: readonly string[], spec: FlagSpec): JournalArgs {
  const { json, rest } = takeJsonFlag(args);
  const { target, rest: own } = takeTargetFlags(rest);
  const parsed = parseFlags(own, spec);
  if (parsed.positionals.length > 0)
    throw new UsageError(`Unexpected argument: ${parsed.positionals[0]}`);
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (const [name, value] of Object.entries(parsed.flags)) {
    if (value === true) switches.add(name);
    else values[name] = value;
  }
  return {
    values,
    switches,
    json,
    endpoints: (app, root) => targetEndpoints(app.system, root, target),
  };
}
