/**
 * The operator console on the local HTTP server: its static files (lib/local/console: plain HTML,
 * CSS and ES modules, no build) under `/_console/`, and the operator API under `/_console/api/`.
 * The leading underscore keeps it clear of app routes (the runtime refuses a route under it).
 */
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpProblem } from '@coffee-es/aws-lambda';
import { answerOperator, type OperatorContext } from './operatorApi.ts';

/**
 * Where the console lives on the local server: `http://127.0.0.1:3000/_console/`, its operator
 * API under `/_console/api/`.
 *
 * @example
 * ```ts
 * const runtime = await startLocalRuntime({ system, root });
 * console.log(`${runtime.url}${consolePath}/`); // what runtime.consoleUrl holds
 * ```
 */
export const consolePath = '/_console';

/**
 * The folder of the console's static files (plain HTML, CSS and ES modules): what to publish
 * as a static site, its `<meta name="operator-api">` pointing at the deployed operator API.
 *
 * @example
 * ```ts
 * await cp(consoleFiles, 'site/console', { recursive: true });
 * ```
 */
export const consoleFiles = fileURLToPath(new URL('../../console/', import.meta.url));

/** A path the local server hands to something other than the routes. */
export interface LocalMount {
  readonly prefix: string;
  serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The console mount. `authorize`, when given (AUTH=on), checks the bearer token of every API
 * request (its HttpProblem is the answer); the static files stay open, they hold no data.
 */
export async function consoleMount(
  ctx: OperatorContext,
  authorize?: (authorization: string | undefined) => Promise<unknown>,
): Promise<LocalMount> {
  // Only the files that are there at start are served: no path from a request reaches the disk.
  const files = new Set(await listFiles(consoleFiles));
  return {
    prefix: consolePath,
    serve: async (req, res, url) => {
      const rest = url.pathname.slice(consolePath.length);
      if (rest === '') return redirect(res, `${consolePath}/${url.search}`);
      if (rest.startsWith('/api/')) return serveApi(ctx, authorize, req, res, url);
      const file = rest === '/' ? 'index.html' : rest.slice(1);
      if (!files.has(file) || req.method !== 'GET') {
        return json(res, 404, { error: 'not-found', detail: `No console file ${rest}` });
      }
      res.writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        // Edited files show at the next reload.
        'cache-control': 'no-cache',
      });
      res.end(await readFile(join(consoleFiles, file)));
    },
  };
}

async function serveApi(
  ctx: OperatorContext,
  authorize: ((authorization: string | undefined) => Promise<unknown>) | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    await authorize?.(req.headers.authorization);
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return json(res, error.status, { error: error.body.type, detail: error.body.detail });
  }
  for await (const _ of req); // nothing is read from a body: let it go
  const answer = await answerOperator(
    ctx,
    (req.method ?? 'GET').toUpperCase(),
    url.pathname.slice(`${consolePath}/api/`.length),
    url.searchParams,
  );
  json(res, answer.status, answer.body);
}

async function listFiles(dir: string, under = ''): Promise<string[]> {
  const entries = await readdir(join(dir, under), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? listFiles(dir, `${under}${e.name}/`) : [`${under}${e.name}`],
    ),
  );
  return nested.flat();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, { location });
  res.end();
}
