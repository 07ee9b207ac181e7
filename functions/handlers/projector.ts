/**
 * The projector Lambda: the journal's stream in, every read model (order history, daily sales,
 * availability, projection status) kept up to date, idempotently, healing its own gaps from the
 * journal.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createProjector } from '@coffee-es/aws-lambda';
import { DynamoJournal, DynamoReadModelStore } from '@coffee-es/dynamodb';
import { loadConfig, required } from '../app/config.ts';
import { dynamoClientFor } from '../app/deps/compose.ts';
import { serviceName } from '../app/service.ts';
import { readSide } from '../projections/index.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: serviceName, logLevel: config.LOG_LEVEL });

const client = dynamoClientFor(config);

export const handler = createProjector({
  store: new DynamoReadModelStore(client, required(config, 'READ_MODEL_TABLE')),
  // Read only: documents behind their commit read the missing commits from here.
  journal: new DynamoJournal({ client, tableName: required(config, 'JOURNAL_TABLE') }),
  projections: readSide.projections,
  schemas: readSide.eventSchemas,
  onError: (error, where) => logger.error('Projection failed', { ...where, error }),
});
