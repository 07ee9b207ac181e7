/**
 * `coffee-es relay` for the coffee franchise, in this process (the specs and the chaos harness
 * start it by this path). `npm run relay` runs the same through the bin.
 */
import { resolve } from 'node:path';
import { main } from '@coffee-es/local/cli';

const root = resolve(import.meta.dirname, '..');
const system = resolve(root, 'functions/app/cli.ts');
const code = await main(['relay', '--system', system, ...process.argv.slice(2)], { root });
if (code !== undefined) process.exitCode = code;
