/** Written by `npm run generate` (scripts/generate/): the routes of every module under functions/app/routes/. Do not edit. */
import type { Route } from '@coffee-es/aws-lambda';
import type { AppDeps } from '../deps/appDeps.ts';
import { branchRoutes } from '../routes/branches.ts';
import { customerRoutes } from '../routes/customers.ts';
import { operationRoutes } from '../routes/operations.ts';
import { orderRoutes } from '../routes/orders.ts';
import { reportRoutes } from '../routes/reports.ts';
import { slotRoutes } from '../routes/slots.ts';

export const routes: readonly Route<AppDeps>[] = [
  ...branchRoutes,
  ...customerRoutes,
  ...operationRoutes(),
  ...orderRoutes,
  ...reportRoutes,
  ...slotRoutes,
];
