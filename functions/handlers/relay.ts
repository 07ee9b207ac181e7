/** The relay Lambda: every event of the journal's stream to the events FIFO queue, in order. */
import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createRelay } from '@coffee-es/aws-lambda';
import { loadConfig, required } from '../app/config.ts';
import { serviceName } from '../app/service.ts';
import { readSide } from '../projections/index.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: serviceName, logLevel: config.LOG_LEVEL });

export const handler = createRelay({
  client: new SQSClient({
    region: config.AWS_REGION,
    ...(config.SQS_ENDPOINT ? { endpoint: config.SQS_ENDPOINT } : {}),
  }),
  queueUrl: required(config, 'EVENTS_QUEUE_URL'),
  failureQueueUrl: required(config, 'RELAY_FAILURES_QUEUE_URL'),
  schemas: readSide.eventSchemas,
  onError: (error, where) => logger.error('Relay failed', { where, error }),
});
