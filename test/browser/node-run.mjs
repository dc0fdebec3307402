// The Node side of the browser comparisons: `node test/browser/node-run.mjs <entry> <backend>`
// imports the built entry by package name (through package.json's exports map), runs the same
// harness as the page and prints its result as JSON.
import { run } from './page/harness.mjs';

const [entry, choice] = process.argv.slice(2);
if (entry === undefined || choice === undefined) throw new Error('usage: node-run.mjs <entry, e.g. wasm-rnn/inference> <wasm|js>');
console.log(JSON.stringify(await run(entry, choice)));
