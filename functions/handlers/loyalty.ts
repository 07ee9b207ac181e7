/** The loyalty Lambda: relayed order events in, customers' points credited and adjusted. */
import { Logger } from '@aws-lambda-powertools/logger';
import { createEventConsumer } from '@coffee-es/aws-lambda';
import { loadConfig } from '../app/config.ts';
import { depsOf } from '../app/deps/compose.ts';
import { stores } from '../app/deps/entityStores.ts';
import { applyLoyalty } from '../app/loyalty.ts';
import { serviceName } from '../app/service.ts';
import { orderEntity } from '../domain/orders/index.ts';

const config = loadConfig();
const logger = new Logger({ serviceName: serviceName, logLevel: config.LOG_LEVEL });
// The customers' store is all it uses: the other domains stay out of the bundle.
const deps = depsOf(config, { stores });

export const handler = createEventConsumer({
  // Orders' events only (upcast, typed); the queue's other events are not loyalty's.
  from: [orderEntity],
  handle: async (event) => {
    const outcome = await applyLoyalty(deps, event);
    if (outcome === 'unknown-customer') {
      logger.warn('Order names an unregistered customer; no points', { eventId: event.eventId });
    }
  },
  onError: (error, record) =>
    logger.error('Loyalty failed', { messageId: record.messageId, error }),
});
