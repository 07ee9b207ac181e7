/**
 * Deployment settings, read once from the CDK context (`cdk.json`, or `-c key=value` on the
 * command line) and checked, so that a missing issuer fails the synth instead of the deploy.
 */
import type { Node } from 'constructs';
import { z } from 'zod';

const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

/** A list given as a JSON array (cdk.json) or as comma-separated text (`-c`). */
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

/** `true`/`false` from cdk.json, or the text `true`/`false` from `-c`. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

const context = z
  .object({
    /**
     * `dev`: every route needs IAM (SigV4) credentials of the account, unless `openApi`.
     * `prod`: a JWT with the route's scopes (public routes excepted), customer-managed keys.
     */
    stage: z.enum(['dev', 'prod']).default('dev'),
    /** Dev only: no authorization at all, for a public demo (synth warns). */
    openApi: flag.default(false),
    /**
     * IAM principal ARN patterns allowed to delete journal items (besides the account's root
     * user); everyone else, the functions included, is denied by the table's resource policy.
     */
    journalOperators: list.default([]),
    /** Dev default 100: on-demand read request units per second, per table and index. */
    maxReadRequestUnits: z.coerce.number().int().positive().optional(),
    /** Dev default 50: on-demand write request units per second, per table and index. */
    maxWriteRequestUnits: z.coerce.number().int().positive().optional(),
    /** The token issuer's URL, e.g. a Cognito user pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
    jwtIssuer: z.url().optional(),
    /** Accepted `aud` (or Cognito `client_id`) values. */
    jwtAudience: list.optional(),
    logLevel: z.enum(logLevels).default('INFO'),
    /** Alarm notifications go to this address (an SNS topic and subscription are created). */
    alarmEmail: z.email().optional(),
    /** Steady-state requests per second of the whole API's default stage. */
    throttleRateLimit: z.coerce.number().int().positive().default(100),
    /** Requests the stage absorbs in a burst above the rate. */
    throttleBurstLimit: z.coerce.number().int().positive().default(200),
  })
  .refine(
    (c) => c.stage !== 'prod' || (c.jwtIssuer !== undefined && (c.jwtAudience ?? []).length > 0),
    { message: 'stage=prod needs the context values jwtIssuer and jwtAudience' },
  )
  .refine((c) => c.stage !== 'prod' || !c.openApi, {
    message: 'openApi=true is for a dev stage; a prod stage always checks tokens',
  });

/** What the stack needs to know beyond the system declaration. */
export type DeploySettings = z.output<typeof context>;

/** The context keys this app reads, so that unrelated CDK context entries are ignored. */
const keys = [
  'stage',
  'openApi',
  'journalOperators',
  'maxReadRequestUnits',
  'maxWriteRequestUnits',
  'jwtIssuer',
  'jwtAudience',
  'logLevel',
  'alarmEmail',
  'throttleRateLimit',
  'throttleBurstLimit',
] as const;

/**
 * Reads the deploy settings from the context of `node` (usually the app's).
 *
 * @example
 * ```ts
 * const settings = readDeploySettings(app.node); // `npx cdk synth -c stage=prod -c jwtIssuer=...`
 * ```
 */
export function readDeploySettings(node: Node): DeploySettings {
  const raw: Record<string, unknown> = {};
  for (const key of keys) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = context.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || 'context'}: ${i.message}`,
    );
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Dev tables' on-demand caps when none are given: enough to try things, not to run up a bill.
 * @internal
 */
export const devTableCaps = { maxReadRequestUnits: 100, maxWriteRequestUnits: 50 } as const;

/** The on-demand caps of the stage's tables: the given ones, dev's defaults, or none in prod. */
export function tableCaps(settings: DeploySettings): {
  maxReadRequestUnits?: number;
  maxWriteRequestUnits?: number;
} {
  const dev = settings.stage === 'dev';
  const read = settings.maxReadRequestUnits ?? (dev ? devTableCaps.maxReadRequestUnits : undefined);
  const write =
    settings.maxWriteRequestUnits ?? (dev ? devTableCaps.maxWriteRequestUnits : undefined);
  return {
    ...(read === undefined ? {} : { maxReadRequestUnits: read }),
    ...(write === undefined ? {} : { maxWriteRequestUnits: write }),
  };
}
