/**
 * Every route of the app in one Lambda handler, as no deployed function is (each route group has
 * its entry in http/, see functions/app/system.ts): one container for the HTTP bench.
 */
import { everyDep } from '../app/deps.ts';
import { httpFunction } from '../app/httpFunction.ts';
import { system } from '../app/system.ts';

export const routes = system.routes;
export const handler = httpFunction({ routes, deps: everyDep });
