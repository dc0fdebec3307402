import { WasmRnnError } from '../index.js';
import { UsageError, didYouMean } from './args.js';
import { bench } from './bench.js';
import { convert } from './convert.js';
import type { CliIO, Command } from './command.js';
import { generate } from './generate.js';
import { predict } from './predict.js';
import { run } from './run.js';
import { train } from './train.js';

const COMMANDS: readonly Command[] = [train, predict, generate, run, bench, convert];

const HELP = `Usage: wasm-rnn <command> [options]

Recurrent neural networks (SimpleRNN, LSTM, GRU) on WebAssembly SIMD, from the command line.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
  help       show this text, or 'wasm-rnn help <command>' for one command

Run 'wasm-rnn <command> --help' for a command's options.

Examples:
  wasm-rnn train --csv data/sunspots.csv --column SUNACTIVITY --epochs 100 --out sunspots.json
  wasm-rnn predict --model sunspots.json --csv data/sunspots.csv --column SUNACTIVITY --steps 3
  wasm-rnn train --text data/words.txt --units 128 --epochs 10 --out words.json
  wasm-rnn generate --model words.json --count 5 --temperature 0.7

Exit codes: 0 success, 1 failure while running, 2 bad arguments or input files.`;

/** Runs `wasm-rnn <argv>`; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(HELP);
    return 2;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.out(HELP);
    return 0;
  }
  try {
    if (name === 'help') return await findCommand(rest[0]!).run(['--help'], io);
    return await findCommand(name).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof WasmRnnError) {
      io.err(`wasm-rnn ${name}: ${error.name}: ${error.message}`);
      return 1;
    }
    io.err(`wasm-rnn ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command !== undefined) return command;
  const names = COMMANDS.map((c) => c.name);
  throw new UsageError(`wasm-rnn: unknown command '${name}'${didYouMean(name, names)}; the commands are ${names.join(', ')}\nRun 'wasm-rnn --help' for usage.`);
}
