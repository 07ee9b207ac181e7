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

const context = z
  .object({
    /** `dev` is open to anyone who has the URL; `prod` requires a JWT on every route. */
    stage: z.enum(['dev', 'prod']).default('dev'),
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
  );

/** What the stack needs to know beyond the system declaration. */
export type DeploySettings = z.output<typeof context>;

/** The context keys this app reads, so that unrelated CDK context entries are ignored. */
const keys = [
  'stage',
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
