/**
 * A client the way a mobile app is one: every POST carries its own Idempotency-Key, and a request
 * whose answer never came (connection refused or cut, 503) is sent again with the same key until it
 * is answered. Answers that break the contract (a 5xx other than 503 with Retry-After) are noted.
 */

export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the workload reads answers field by field.
  readonly body: any;
}

export interface ClientStats {
  requests: number;
  /** Requests sent again after no answer or a 503. */
  retries: number;
  /** Requests that had no answer (network error) at least once. */
  unanswered: number;
  unavailable: number;
  /** Answers that break the contract: 500, 502, a 503 without Retry-After, … */
  readonly contractBreaks: string[];
}

export const newStats = (): ClientStats => ({
  requests: 0,
  retries: 0,
  unanswered: 0,
  unavailable: 0,
  contractBreaks: [],
});

export interface ClientOptions {
  /** Where the server is now (it moves only when a run restarts it on another port). */
  readonly url: () => string;
  readonly stats: ClientStats;
  /** Give up on a request after this long without an answer. */
  readonly patienceMs?: number;
  readonly requestTimeoutMs?: number;
}

export class GaveUpError extends Error {
  constructor(readonly what: string) {
    super(`No answer to ${what}`);
  }
}

/** Sends until answered; a 503 (with Retry-After) counts as "not yet". */
export async function send(
  options: ClientOptions,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const deadline = Date.now() + (options.patienceMs ?? 120_000);
  const { stats } = options;
  let first = true;
  let hadNoAnswer = false;
  for (let attempt = 1; ; attempt++) {
    if (!first) stats.retries++;
    first = false;
    stats.requests++;
    const answer = await once(options, method, path, body, headers).catch(() => undefined);
    if (answer === undefined) {
      if (!hadNoAnswer) stats.unanswered++;
      hadNoAnswer = true;
    } else if (answer.status === 503) {
      stats.unavailable++;
      if (!answer.retryAfter)
        stats.contractBreaks.push(`${method} ${path}: 503 without Retry-After`);
    } else {
      if (answer.status >= 500) {
        stats.contractBreaks.push(
          `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
      return answer;
    }
    if (Date.now() > deadline) throw new GaveUpError(`${method} ${path}`);
    await sleep(Math.min(2000, 50 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
  }
}

async function once(
  options: ClientOptions,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer & { retryAfter: string | null }> {
  const response = await fetch(`${options.url()}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
