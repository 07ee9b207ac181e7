/**
 * `npm start` typed in a shell whose own `node` may be another version (the machine's Node.js 20)
 * runs on the Lambda runtime's major anyway, from the `node` devDependency that npm puts first on
 * the script's PATH, and prints no runtime warning while it starts, serves and stops. The
 * warning check is shown to see the warnings it looks for: the AWS SDK's notice about an old
 * Node.js (the one the test setup used to silence) and a plain process warning, both emitted for
 * real by a child. No source brings back a silencer (the SDK's variable, --no-warnings, …).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lambdaNodeMajor } from '@coffee-es/cdk';
import { freePort } from '@coffee-es/local';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '../../support/childProcess.ts';
import { runtimeMismatch, runtimeWarnings, shellPath } from '../../support/nodeRuntime.ts';
import { isAlive, listeningUrl } from '../../support/npmStart.ts';

const root = resolve(import.meta.dirname, '../../..');

/** Every process under `pid`, depth first, from `pgrep -P`. */
function descendants(pid: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  const children = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function commandOf(pid: number): string {
  return spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
}

/** What the spec started, with each command line, so that a failure kills exactly those. */
const started = new Map<number, string>();
let dataDir: string | undefined;

afterAll(async () => {
  for (const [pid, command] of started) {
    if (isAlive(pid) && commandOf(pid) === command) process.kill(pid, 'SIGKILL');
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` as a shell runs it: npm found on the shell's PATH, none of this run's npm context. */
function npmStart(port: number, dir: string): { child: ChildProcess; output: () => string } {
  const env = childEnvironment({}, /^(npm_|NODE$)/i);
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...env, PATH: shellPath(), PORT: String(port), DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a group of its own, as a terminal gives it: the stop signals the group
  });
  if (child.pid === undefined) throw new Error('Could not spawn npm');
  started.set(child.pid, commandOf(child.pid));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

describe('npm start from a shell', () => {
  it(`runs on Node.js ${lambdaNodeMajor} and prints no runtime warning from start to stop`, async () => {
    const shellNode = spawnSync('node', ['--version'], {
      env: { PATH: shellPath() },
      encoding: 'utf8',
    });
    console.info(`the shell's node: ${shellNode.stdout.trim() || shellNode.error?.message}`);

    dataDir = await mkdtemp(join(tmpdir(), 'coffee-node-'));
    const { child, output } = npmStart(await freePort(), dataDir);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await listeningUrl(child, output, 60_000);
    const pid = child.pid as number;
    const tree = descendants(pid);
    for (const p of tree) started.set(p, commandOf(p));

    const version = /Running on Node\.js (v\d+\.\d+\.\d+)/.exec(output())?.[1];
    expect(version, output()).toBeDefined();
    expect(runtimeMismatch(String(version))).toBeUndefined();
    // The script's own process, seen from outside: the node devDependency's binary.
    const script = tree.find((p) => /^node .*coffee-es\.js start/.test(started.get(p) ?? ''));
    expect(script, tree.map((p) => started.get(p)).join('\n')).toBeDefined();
    expect(readlinkSync(`/proc/${script}/exe`)).toBe(
      realpathSync(join(root, 'node_modules/.bin/node')),
    );

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const created = await fetch(`${url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ana', email: 'ana@example.com' }),
    });
    expect(created.status).toBe(201);

    process.kill(-pid, 'SIGTERM');
    const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 30_000));
    expect(await Promise.race([exited, timeout]), output()).not.toBe('timeout');
    for (const p of tree) {
      const deadline = Date.now() + 10_000;
      while (isAlive(p) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(isAlive(p), `${started.get(p)} outlived npm start`).toBe(false);
    }
    expect(runtimeWarnings(output()), output()).toEqual([]);
  });
});

describe("the packages' manifests", () => {
  it(`ask for Node.js ${lambdaNodeMajor} or newer, as the root does`, () => {
    for (const pkg of ['core', 'dynamodb', 'aws-lambda', 'local', 'cdk']) {
      const manifest = JSON.parse(readFileSync(join(root, 'lib', pkg, 'package.json'), 'utf8'));
      expect(manifest.engines?.node, pkg).toBe(`>=${lambdaNodeMajor}`);
    }
  });
});

describe('the sources', () => {
  it('silence no runtime warning (no variable, flag or removed listener hides one)', () => {
    const silencers = [
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'NODE_NO_WARNINGS',
      '--no-warnings',
      '--no-deprecation',
      'noDeprecation',
      "removeAllListeners('warning')",
      'removeAllListeners("warning")',
    ];
    // The two specs that name them to check for them.
    const checkers = new Set([
      'test/app/scripts/npmStartNode.int.spec.ts',
      'test/cdk/nodeRuntime.unit.spec.ts',
    ]);
    const files = [
      ...['lib', 'functions', 'cdk', 'scripts', 'test', 'bench'].flatMap((dir) =>
        readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
          .filter((file) => !file.includes('node_modules') && /\.(ts|js|cjs|mjs|json)$/.test(file))
          .map((file) => `${dir}/${file}`),
      ),
      'package.json',
      'vitest.config.ts',
      '.npmrc',
      '.ci/run',
    ].filter((file) => !checkers.has(file));
    const found = files.flatMap((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      return silencers.filter((s) => text.includes(s)).map((s) => `${file}: ${s}`);
    });
    expect(files.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});

describe('the runtime-warning check', () => {
  it("sees the AWS SDK's notice about an old Node.js and a plain process warning", () => {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { emitWarningIfUnsupportedVersion } = await import('@aws-sdk/core/client');
         emitWarningIfUnsupportedVersion('v20.20.2');
         process.emitWarning('a plain warning');`,
      ],
      { cwd: root, encoding: 'utf8', env: { PATH: shellPath() } },
    );
    expect(run.status, run.stderr).toBe(0);
    const warnings = runtimeWarnings(run.stderr);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('NodeVersionSupportWarning');
    expect(warnings[1]).toContain('a plain warning');
  });
});
