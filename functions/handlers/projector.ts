/**
 * The projector Lambda: the journal's stream in, every read model (order history, daily sales,
 * availability, projection status) kept up to date, idempotently.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoReadModelWriter } from '../../lib/dynamodb/readModelWriter.ts';
import { createProjector } from '../../lib/lambda/projector.ts';
import { loadConfig, required } from '../app/config.ts';
import { dynamoClientFor } from '../app/deps.ts';
import { serviceName } from '../app/service.ts';
import { eventSchemas, projections } from '../projections/index.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: serviceName, logLevel: config.LOG_LEVEL });

export const handler = createProjector({
  writer: new DynamoReadModelWriter(dynamoClientFor(config), required(config, 'READ_MODEL_TABLE')),
  projections,
  schemas: eventSchemas,
  onError: (error, where) => logger.error('Projection failed', { ...where, error }),
});
