/**
 * The operator console deployed (`operatorApi` in the system declaration): its API under
 * `/_console/api/` for staff (the declaration's `operators`) and its static files under
 * `/_console/`, on the deployed tables and queues.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createOperatorHandler } from '@coffee-es/local/operator';
import { loadConfig } from '../app/config.ts';
import { serviceName } from '../app/service.ts';
import { system } from '../app/system.ts';

const config = loadConfig();
const logger = new Logger({ serviceName, logLevel: config.LOG_LEVEL });

export const handler = createOperatorHandler({
  system,
  logError: (message, error) => logger.error(message, { error }),
});
