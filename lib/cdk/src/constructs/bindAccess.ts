/** Grants a function exactly the access its declaration names (tables, items, queues), nothing else. */
import type { FunctionAccess } from '@coffee-es/aws-lambda';
import type { SystemFunction } from './systemFunction.ts';
import type { SystemQueues } from './systemQueues.ts';
import type { SystemTables } from './systemTables.ts';

/**
 * Binds every table the function reads or writes and every queue it sends to or consumes:
 * each one's environment variable plus the matching grant.
 *
 * @example
 * ```ts
 * bindAccess(fn, { reads: ['journal'], writes: ['journal'] }, tables, queues);
 * ```
 */
export function bindAccess(
  fn: SystemFunction,
  access: FunctionAccess<string, string>,
  tables: SystemTables,
  queues: SystemQueues,
): void {
  const reads = new Set(access.reads ?? []);
  const writes = new Set(access.writes ?? []);
  for (const name of new Set([...reads, ...writes])) {
    const { table, declaration } = tables.get(name);
    fn.bindTable(declaration.envVar, table, {
      name,
      read: reads.has(name),
      write: writes.has(name),
      items: access.items?.[name],
    });
  }
  for (const name of new Set(access.sendsTo ?? [])) {
    const { queue, declaration } = queues.get(name);
    fn.bindQueue(declaration.envVar, queue, 'send', queues.key);
  }
  for (const name of new Set(access.consumes ?? [])) {
    const { queue, declaration } = queues.get(name);
    fn.bindQueue(declaration.envVar, queue, 'consume');
  }
}
