/** The loyalty Lambda: relayed order events in, customers' points credited and adjusted. */
import { Logger } from '@aws-lambda-powertools/logger';
import { createEventConsumer } from '@coffee-es/aws-lambda';
import { loadConfig } from '../app/config.ts';
import { createDeps } from '../app/deps.ts';
import { applyLoyalty } from '../app/loyalty.ts';
import { serviceName } from '../app/service.ts';
import { readSide } from '../projections/index.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: serviceName, logLevel: config.LOG_LEVEL });
const deps = createDeps(config);

export const handler = createEventConsumer({
  schemas: readSide.eventSchemas,
  handle: async (event) => {
    const outcome = await applyLoyalty(deps, event);
    if (outcome === 'unknown-customer') {
      logger.warn('Order names an unregistered customer; no points', { eventId: event.eventId });
    }
  },
  onError: (error, record) =>
    logger.error('Loyalty failed', { messageId: record.messageId, error }),
});
