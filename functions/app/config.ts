/** Configuration, parsed once at cold start from the environment, typed. */
import { z } from 'zod';

const environment = z.object({
  JOURNAL_TABLE: z.string().min(1),
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
