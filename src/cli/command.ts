/** Where a command prints: results to `out` (stdout), problems to `err` (stderr). */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

/** One `wasm-rnn <name>` command. */
export interface Command {
  name: string;
  /** One line for `wasm-rnn --help`. */
  summary: string;
  /** The whole `wasm-rnn <name> --help` text. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
