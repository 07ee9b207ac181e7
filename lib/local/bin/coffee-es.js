#!/usr/bin/env node
// The `coffee-es` command. Built code when installed; the sources under the @coffee-es/source
// condition (with tsx loaded) in the framework's own repository.
import { main } from '@coffee-es/local/cli';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
