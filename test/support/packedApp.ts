/**
 * The framework as a user gets it: the workspace packages built and packed (`npm pack`), and a
 * small app (test/local/cartApp) installed from those tarballs into an empty folder outside the
 * repository, with nothing of the repository's resolution (no `@coffee-es/source` condition, no
 * NODE_OPTIONS, no repository `node_modules/.bin` on PATH) reaching its processes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isAlive } from './npmStart.ts';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The packages the cart app installs; @coffee-es/cdk is packed but not installed (see below). */
export const installed = ['core', 'dynamodb', 'aws-lambda', 'local'] as const;

/**
 * The environment of the spec minus everything that ties a process to this repository or to
 * another system: the node running the spec first on PATH (the packages need its major).
 */
export function outsideEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|VITEST|AWS_|TEST$)/i.test(name)) continue;
    if (/^(DYNAMODB_ENDPOINT|SQS_ENDPOINT|AUTH|REQUIRE_TOKEN|LOG_LEVEL|DATA_DIR|PORT)$/.test(name))
      continue;
    if (/_(TABLE|QUEUE_URL)$/.test(name)) continue;
    env[name] = value;
  }
  const path = (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry !== '' && !resolve(entry).startsWith(root));
  env.PATH = [dirname(process.execPath), ...path].join(':');
  return { ...env, ...extra };
}

export interface Packed {
  /** Tarball path by package directory name (core, dynamodb, aws-lambda, local, cdk). */
  readonly tarballs: Readonly<Record<string, string>>;
  /** Files in each tarball, by package directory name. */
  readonly files: Readonly<Record<string, readonly string[]>>;
}

const packages = ['core', 'dynamodb', 'aws-lambda', 'local', 'cdk'] as const;

/**
 * Whether some package's `dist` is missing a module or older than what it is built from (its
 * sources, manifest and build configuration, the shared tsconfig), as make would judge it.
 */
export async function distIsStale(): Promise<boolean> {
  const mtime = (file: string) =>
    stat(file).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
  const shared = (await mtime(join(root, 'tsconfig.json'))) ?? Number.POSITIVE_INFINITY;
  for (const p of packages) {
    const dir = join(root, 'lib', p);
    const sources = (await readdir(join(dir, 'src'), { recursive: true })).filter((f) =>
      /\.(ts|cjs)$/.test(f),
    );
    const inputs = [
      ...sources.map((f) => join(dir, 'src', f)),
      join(dir, 'package.json'),
      join(dir, 'tsconfig.build.json'),
    ];
    const newest = Math.max(
      shared,
      ...(await Promise.all(inputs.map(async (f) => (await mtime(f)) ?? 0))),
    );
    for (const f of sources) {
      const built = await mtime(join(dir, 'dist', f.replace(/\.ts$/, '.js')));
      if (built === undefined || built < newest) return true;
    }
  }
  return false;
}

/**
 * `npm run build` unless every `dist` is up to date, then `npm pack` of every workspace package
 * into `dir`. Whether it built is in the answer.
 */
export async function buildAndPack(dir: string): Promise<Packed & { readonly built: boolean }> {
  const built = await distIsStale();
  if (built) await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 16 << 20 });
  const { stdout } = await run(
    'npm',
    ['pack', '--workspaces', '--pack-destination', dir, '--json', '--loglevel=error'],
    { cwd: root, maxBuffer: 64 << 20 },
  );
  const packs = JSON.parse(stdout) as {
    name: string;
    filename: string;
    files: { path: string }[];
  }[];
  const tarballs: Record<string, string> = {};
  const files: Record<string, string[]> = {};
  for (const pack of packs) {
    const short = pack.name.replace('@coffee-es/', '');
    tarballs[short] = join(dir, pack.filename);
    files[short] = pack.files.map((f) => f.path);
  }
  return { tarballs, files, built };
}

/**
 * Versions the cart app shares with the repository (its manifest or a package's), so that npm
 * finds them in its cache.
 */
async function repositoryVersions(names: readonly string[]): Promise<Record<string, string>> {
  type Manifest = {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const manifests = await Promise.all(
    ['package.json', ...installed.map((p) => `lib/${p}/package.json`)].map(
      async (file) => JSON.parse(await readFile(join(root, file), 'utf8')) as Manifest,
    ),
  );
  const all: Record<string, string> = {};
  for (const m of manifests.reverse()) Object.assign(all, m.dependencies, m.devDependencies);
  return Object.fromEntries(
    names.map((name) => {
      const version = all[name];
      if (version === undefined) throw new Error(`No version of ${name} in the repository`);
      return [name, version];
    }),
  );
}

/**
 * A new folder under the system's temporary directory with the cart app's sources, a
 * package.json that depends on the tarballs (and overrides every nested @coffee-es dependency
 * with them: nothing of that name comes from a registry), and `npm install` done.
 */
export async function installCartApp(packed: Packed): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), 'coffee-es-cart-'));
  await cp(join(root, 'test/local/cartApp'), app, { recursive: true });
  await mkdir(join(app, '.data'), { recursive: true });
  const framework = Object.fromEntries(
    installed.map((p) => [`@coffee-es/${p}`, `file:${packed.tarballs[p]}`]),
  );
  const manifest = {
    name: 'cart-app',
    version: '1.0.0',
    private: true,
    type: 'module',
    'coffee-es': { system: 'src/system.ts' },
    dependencies: {
      ...framework,
      ...(await repositoryVersions(['@aws-lambda-powertools/logger', '@aws-sdk/client-dynamodb'])),
    },
    devDependencies: await repositoryVersions(['typescript', '@types/node']),
    overrides: Object.fromEntries(Object.keys(framework).map((name) => [name, `$${name}`])),
  };
  await writeFile(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    env: outsideEnvironment(),
    maxBuffer: 16 << 20,
  });
  return app;
}

/** Runs a command in the app, outside the repository; never throws on a non-zero exit. */
export function runInApp(
  app: string,
  command: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(command, args, { cwd: app, env: outsideEnvironment(extraEnv), maxBuffer: 16 << 20 })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
}

/** Direct children of a process, from `pgrep -P`. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** Whether the process is gone, waiting up to `timeoutMs` for it to be reaped. */
export async function gone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}

/** Whether something accepts connections on the port. */
export const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
