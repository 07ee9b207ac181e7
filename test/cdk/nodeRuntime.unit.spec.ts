/**
 * The tests run on the Node.js major the functions deploy on (`lambdaRuntime`, nodejs24.x), as
 * pinned by the `node` devDependency, and nothing silences the runtime's warnings. Run vitest
 * on another Node.js (`/usr/bin/node node_modules/vitest/vitest.mjs run` on the machine's own)
 * and the first test fails.
 */
import { lambdaNodeMajor, lambdaRuntime } from '@coffee-es/cdk';
import { describe, expect, it } from 'vitest';
import root from '../../package.json' with { type: 'json' };
import { majorOf, runtimeMismatch, shellPath } from '../support/nodeRuntime.ts';

describe('the Node.js the tests run on', () => {
  it('is the major of the Lambda runtime the stack deploys', () => {
    expect(lambdaRuntime.name).toBe(`nodejs${lambdaNodeMajor}.x`);
    expect(runtimeMismatch(process.version)).toBeUndefined();
    expect(majorOf(process.versions.node)).toBe(lambdaNodeMajor);
  });

  it('is refused when it is another major', () => {
    expect(runtimeMismatch('v20.20.2')).toContain(`nodejs${lambdaNodeMajor}.x`);
    expect(runtimeMismatch(`v${lambdaNodeMajor + 2}.0.0`)).toContain('is not');
    expect(runtimeMismatch(`${lambdaNodeMajor}.0.1`)).toBeUndefined();
    expect(() => majorOf('lts')).toThrow('Not a Node.js version');
  });

  it('is the one the node devDependency pins, as engines and @types/node say', () => {
    expect(majorOf(root.devDependencies.node)).toBe(lambdaNodeMajor);
    expect(majorOf(root.devDependencies['@types/node'])).toBe(lambdaNodeMajor);
    expect(root.engines.node).toBe(`>=${lambdaNodeMajor}`);
  });

  it('prints its warnings: no flag, variable or removed listener hides them', () => {
    // Node.js prints a warning through its own `onWarning` listener; --no-warnings and
    // NODE_NO_WARNINGS leave it out, removeAllListeners('warning') takes it away.
    expect(process.listeners('warning').map((listener) => listener.name)).toContain('onWarning');
    expect(process.noDeprecation).not.toBe(true);
    const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
    expect(flags.filter((f) => /^--(no-warnings|no-deprecation)/.test(f))).toEqual([]);
    expect(process.env.NODE_NO_WARNINGS).toBeUndefined();
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeUndefined();
  });
});

describe('shellPath', () => {
  it('drops the node_modules/.bin folders npm puts first, keeps the rest in order', () => {
    expect(
      shellPath('/w/node_modules/.bin:/w/lib/core/node_modules/.bin:/usr/local/bin::/usr/bin'),
    ).toBe('/usr/local/bin:/usr/bin');
  });
});
