/** Configuration, parsed once at cold start from the environment, typed. */
import * as z from '@coffee-es/aws-lambda/schema';

const nonEmpty = z.string().check(z.minLength(1));

const environment = z.object({
  JOURNAL_TABLE: z.optional(nonEmpty),
  READ_MODEL_TABLE: z.optional(nonEmpty),
  EVENTS_QUEUE_URL: z.optional(nonEmpty),
  /** The relay's failure queue: where it sets aside what can never be sent. */
  RELAY_FAILURES_QUEUE_URL: z.optional(nonEmpty),
  AWS_REGION: z._default(nonEmpty, 'us-east-1'),
  /** Set only off AWS: the local DynamoDB to use. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  SQS_ENDPOINT: z.optional(z.url()),
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  /** Every token route must arrive with verified JWT claims (a JWT authorizer fronts them all). */
  REQUIRE_TOKEN: z._default(z.stringbool(), false),
  /** Entity images a warm container keeps. */
  ENTITY_CACHE_SIZE: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 1000),
});

export type AppConfig = z.output<typeof environment>;

export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AppConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** A setting this function cannot work without: a clear error at cold start when it is missing. */
export function required<K extends keyof AppConfig>(
  config: AppConfig,
  name: K,
): NonNullable<AppConfig[K]> {
  const value = config[name];
  if (value === undefined) throw new Error(`Invalid configuration: ${name} is required here`);
  return value as NonNullable<AppConfig[K]>;
}
