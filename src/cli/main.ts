#!/usr/bin/env node
// The `wasm-rnn` command (package.json "bin"), bundled by rollup into dist/cli.js.
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
