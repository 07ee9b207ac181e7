/**
 * The service's name: logs, metrics namespace, stack and table names. Its own module so that a
 * consumer function does not bundle the routes just to know it.
 */
export const serviceName = 'coffee';
