/**
 * `npx cdk synth` as a developer (or CI) runs it, offline and without AWS credentials: the real
 * app, cdk.json's context, esbuild bundling every function. Then the bundles themselves: small
 * enough, and loadable as ES modules that export their handler.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { routeKeyOf } from '@coffee-es/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import { type CfnTemplate, resourcesOf, root } from './synthesize.ts';

/** The budget the issue sets for a minified function bundle. */
const maxBundleBytes = 150 * 1024;

interface Run {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, output, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

/** This environment without anything that could give the CLI AWS credentials. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE)$/.test(key)) {
      delete env[key];
    }
  }
  // A developer's ~/.aws must not count either.
  env.AWS_CONFIG_FILE = join(root, 'cdk.out', 'no-such-aws-config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(root, 'cdk.out', 'no-such-aws-credentials');
  env.CDK_DISABLE_VERSION_CHECK = 'true';
  return env;
}

let outdir: string;
let synth: Run;
let template: CfnTemplate;
beforeAll(async () => {
  // Inside the project (cdk.out is ignored by git) so that bundles resolve the SDK from its
  // node_modules when loaded below, as the Lambda runtime provides it.
  mkdirSync(join(root, 'cdk.out'), { recursive: true });
  outdir = mkdtempSync(join(root, 'cdk.out', 'spec-'));
  synth = await run(
    'npx',
    ['cdk', 'synth', '--no-notices', '--no-version-reporting', '-o', outdir, '-q'],
    offlineEnv(),
  );
  if (synth.code !== 0) return;
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.values(manifest.artifacts).filter(
    (a) => a.type === 'aws:cloudformation:stack',
  );
  const templateFile = stacks[0]?.properties?.templateFile as string;
  template = JSON.parse(readFileSync(join(outdir, templateFile), 'utf8'));
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** Each function's bundle directory, by description. */
function bundles(): [string, string][] {
  return resourcesOf(template, 'AWS::Lambda::Function').map(([, fn]) => [
    String(fn.Properties.Description),
    join(outdir, String(fn.Metadata?.['aws:asset:path'])),
  ]);
}

/** The bundle of the function whose description ends with `name`. */
function bundleText(name: string): string {
  const [, dir] = bundles().find(([description]) => description.endsWith(name)) ?? [];
  if (!dir) throw new Error(`no function ${name}`);
  return readFileSync(join(dir, 'index.mjs'), 'utf8');
}

describe('cdk synth', () => {
  it('succeeds offline, without AWS credentials', () => {
    expect(synth.code, synth.output).toBe(0);
    console.info(`cdk synth took ${synth.seconds.toFixed(1)} s`);
    expect(resourcesOf(template, 'AWS::Lambda::Function').length).toBeGreaterThan(0);
  });

  it(`bundles every function in at most ${maxBundleBytes / 1024} KB, minified`, () => {
    expect(synth.code, synth.output).toBe(0);
    const sizes = bundles().map(([name, dir]) => ({
      name,
      kb: Math.round(statSync(join(dir, 'index.mjs')).size / 102.4) / 10,
    }));
    console.info(sizes.map((s) => `${s.name}: ${s.kb} KB`).join('\n'));
    expect(sizes.filter((s) => s.kb * 1024 > maxBundleBytes)).toEqual([]);
  });

  it("bundles in each route group's function its own routes and no other group's", () => {
    expect(synth.code, synth.output).toBe(0);
    // A route's summary is written once, in its declaration: in a bundle exactly when the
    // declaration (handler, schemas) is. The operations bundle's route table has no summaries.
    const summaries = system.routes.map((route) => route.summary);
    expect(new Set(summaries).size).toBe(summaries.length);
    for (const group of Object.keys(system.routeGroups)) {
      const code = bundleText(`route group ${group}`);
      const bundled = system.routes.filter((route) => code.includes(route.summary));
      const own = system.routes.filter((route) => route.group === group);
      expect(bundled.map(routeKeyOf).sort(), group).toEqual(own.map(routeKeyOf).sort());
    }
  });

  it('bundles one copy of Powertools commons in every function', () => {
    expect(synth.code, synth.output).toBe(0);
    // A string of commons' constants: each copy of the package in a bundle brings it once more.
    const marker = /["'`]AWS_LAMBDA_INITIALIZATION_TYPE["'`]/g;
    for (const [name] of bundles()) {
      expect(bundleText(name).match(marker)?.length, name).toBe(1);
    }
  });

  it('bundles ES modules that load on Node.js and export their handler', async () => {
    expect(synth.code, synth.output).toBe(0);
    for (const [name, dir] of bundles()) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function').find(
        ([, f]) => f.Properties.Description === name,
      )?.[1];
      // Table names and queue URLs are CloudFormation references here; any value will do.
      const env: NodeJS.ProcessEnv = { ...offlineEnv(), AWS_REGION: 'eu-west-1' };
      for (const [key, value] of Object.entries(fn?.Properties.Environment.Variables ?? {})) {
        env[key] = typeof value === 'string' ? value : `https://sqs.example.com/${key}`;
      }
      const url = pathToFileURL(join(dir, 'index.mjs')).href;
      const load = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(url)}); if (typeof m.handler !== 'function') process.exit(3);`,
        ],
        env,
      );
      expect(load.code, `${name}: ${load.output}`).toBe(0);
    }
  });

  it('ships the OpenAPI document beside the operations bundle, which serves it from there', async () => {
    expect(synth.code, synth.output).toBe(0);
    const [, dir] = bundles().find(([name]) => name.endsWith('route group operations')) ?? [];
    expect(dir).toBeDefined();
    const url = pathToFileURL(join(String(dir), 'index.mjs')).href;
    const event = {
      version: '2.0',
      routeKey: 'GET /openapi.json',
      rawPath: '/openapi.json',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/openapi.json' }, requestId: 'synth' },
      isBase64Encoded: false,
    };
    const served = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)});
         const answer = await m.handler(${JSON.stringify(event)}, { awsRequestId: 'synth', getRemainingTimeInMillis: () => 3000 });
         const body = JSON.parse(answer.body);
         if (answer.statusCode !== 200 || !String(body.openapi).startsWith('3.1')) { console.error(answer.statusCode, answer.body); process.exit(3); }`,
      ],
      { ...offlineEnv(), AWS_REGION: 'eu-west-1', LOG_LEVEL: 'SILENT', ROUTE_GROUP: 'operations' },
    );
    expect(served.code, served.output).toBe(0);
  });

  it("ships the console's files beside the operator console's bundle, which serves them", async () => {
    expect(synth.code, synth.output).toBe(0);
    const [, dir] = bundles().find(([name]) => name.endsWith('operator console operators')) ?? [];
    expect(dir).toBeDefined();
    const url = pathToFileURL(join(String(dir), 'index.mjs')).href;
    const event = (path: string) => ({
      version: '2.0',
      routeKey: 'GET /_console/{proxy+}',
      rawPath: path,
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path }, requestId: 'synth' },
      isBase64Encoded: false,
    });
    const served = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)});
         const page = await m.handler(${JSON.stringify(event('/_console/'))});
         const script = await m.handler(${JSON.stringify(event('/_console/api.js'))});
         const api = await m.handler(${JSON.stringify(event('/_console/api/overview'))});
         const ok = page.statusCode === 200 && page.body.includes('<html') &&
           script.statusCode === 200 && script.headers['content-type'].startsWith('text/javascript') &&
           api.statusCode === 401;
         if (!ok) { console.error(page.statusCode, script.statusCode, api.statusCode, api.body); process.exit(3); }`,
      ],
      { ...offlineEnv(), AWS_REGION: 'eu-west-1', LOG_LEVEL: 'SILENT', REQUIRE_TOKEN: 'true' },
    );
    expect(served.code, served.output).toBe(0);
  });
});
