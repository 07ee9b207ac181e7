/**
 * Which Node.js the tests and the local tools run on, against the Lambda runtime the stack
 * deploys: the code is only tested where it runs if both are the same major.
 */
import { lambdaNodeMajor } from '@coffee-es/cdk';

/** The major of a Node.js version as `process.version` (`v24.21.0`) or `versions.node` writes it. */
export function majorOf(version: string): number {
  const major = /^v?(\d+)\.\d+\.\d+/.exec(version)?.[1];
  if (major === undefined) throw new Error(`Not a Node.js version: ${version}`);
  return Number(major);
}

/** Why `version` is not the Lambda runtime's Node.js, or undefined when it is. */
export function runtimeMismatch(version: string): string | undefined {
  const major = majorOf(version);
  return major === lambdaNodeMajor
    ? undefined
    : `Node.js ${version} is not the functions' runtime (nodejs${lambdaNodeMajor}.x): ` +
        'run through npm (npm test, npm start, npx …), which puts the node devDependency first on PATH';
}

/**
 * The runtime warnings in a process's output: Node.js writes each one (deprecations, the AWS
 * SDK's notice about an old Node.js, experimental features) on stderr as `(node:PID) …Warning`.
 */
export function runtimeWarnings(output: string): string[] {
  return output.split('\n').filter((line) => /^\(node:\d+\) /.test(line));
}

/**
 * This environment's PATH as a shell has it: without the `node_modules/.bin` folders that npm
 * put first for the script running the tests, so that a child sees the machine's own `node`.
 */
export function shellPath(path = process.env.PATH ?? ''): string {
  return path
    .split(':')
    .filter((dir) => dir !== '' && !/[\\/]node_modules[\\/]\.bin$/.test(dir))
    .join(':');
}
