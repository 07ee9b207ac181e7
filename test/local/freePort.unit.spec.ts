/**
 * `freePort` never answers a port the process keeps for itself (`avoidPort`): the local runtime
 * keeps its HTTP port so that an emulator started before the server cannot take it.
 */
import { createServer } from 'node:net';
import { avoidPort, freePort } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

describe('freePort', () => {
  it('skips avoided ports even when the OS offers them again', async () => {
    // The OS picks ports at random from about 28,000: avoid 1,000 of them, and 500 more answers
    // would meet about 18 of those (all but surely at least one) if avoiding did nothing.
    const kept = new Set<number>();
    while (kept.size < 1000) kept.add(await freePort());
    for (const port of kept) avoidPort(port);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(await freePort());
    expect([...seen].filter((port) => kept.has(port))).toEqual([]);
    // And the answers are really free.
    const port = [...seen][0] ?? 0;
    const server = createServer();
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', done);
    });
    await new Promise((done) => server.close(done));
  });
});
