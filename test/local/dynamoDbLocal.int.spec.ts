import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { clientFor, startDynamoDbLocal } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('DynamoDB Local harness', () => {
  it('starts on a free port, answers, and stops by pid', async () => {
    const dynamo = await startDynamoDbLocal();
    try {
      const tables = await clientFor(dynamo.endpoint).send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual([]);
      expect(isRunning(dynamo.pid)).toBe(true);
    } finally {
      await dynamo.stop();
    }
    expect(isRunning(dynamo.pid)).toBe(false);
    await dynamo.stop(); // idempotent
  });

  it('keeps data on a data directory across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ddb-'));
    try {
      const first = await startDynamoDbLocal({ dataDir: dir });
      await clientFor(first.endpoint).send(
        new CreateTableCommand({
          TableName: 'kept',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await first.stop();
      const second = await startDynamoDbLocal({ dataDir: dir });
      try {
        const tables = await clientFor(second.endpoint).send(new ListTablesCommand({}));
        expect(tables.TableNames).toEqual(['kept']);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves no java behind when the process that started it is killed outright', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@coffee-es/source', '--import', 'tsx', 'test/support/spawnDynamoFixture.ts'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) =>
        resolve((JSON.parse(chunk.toString()) as { pid: number }).pid),
      );
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
    });
    expect(isRunning(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await eventually(() => !isRunning(pid), 10_000)).toBe(true);
  });
});
