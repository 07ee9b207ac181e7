/**
 * The answer to a request no declared route serves: 405 when the path exists with other methods,
 * 404 otherwise. The local server answers so before any function runs; on AWS the API's
 * `$default` route brings such requests to a function, which answers the same through this.
 */
import { HttpProblem } from './problem.ts';
import type { Route } from './route.ts';

/**
 * API Gateway's route key for requests that match no other route.
 * @internal
 */
export const defaultRouteKey = '$default';

/**
 * The problem for `method path` when no route has that method and path.
 *
 * @example
 * ```ts
 * throw unknownRoute(routes, 'PATCH', '/orders/o-1'); // 405 method-not-allowed
 * ```
 */
export function unknownRoute(
  routes: readonly Pick<Route, 'method' | 'path'>[],
  method: string,
  path: string,
): HttpProblem {
  const known = routes.some((route) => pathMatches(route.path, path));
  return known
    ? new HttpProblem(405, 'method-not-allowed', `${method} is not allowed on ${path}`)
    : new HttpProblem(404, 'not-found', `Nothing at ${path}`);
}

/** Whether a concrete path fits a route path; parameters are not decoded, so no escape can fail. */
function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return false;
  return want.every((segment, i) => {
    const actual = got[i] ?? '';
    return segment.startsWith('{') && segment.endsWith('}') ? actual !== '' : segment === actual;
  });
}
