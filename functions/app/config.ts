/** Configuration, parsed once at cold start from the environment, typed. */
import { z } from 'zod';

const environment = z.object({
  JOURNAL_TABLE: z.string().min(1).optional(),
  READ_MODEL_TABLE: z.string().min(1).optional(),
  EVENTS_QUEUE_URL: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set only off AWS: the local DynamoDB to use. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
  /** The route group this function serves; unset (locally) it serves every route. */
  ROUTE_GROUP: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** Entity images a warm container keeps. */
  ENTITY_CACHE_SIZE: z.coerce.number().int().min(0).default(1000),
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
