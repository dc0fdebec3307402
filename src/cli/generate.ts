import { OptionReader, parseOptions } from './args.js';
import { BACKEND_HELP, startBackend } from './backend.js';
import type { CliIO, Command } from './command.js';
import { isTokenModel, loadSequential } from './model-file.js';

const HELP = `Usage: wasm-rnn generate --model <file> [--seed <text>] [options]

Writes text with a text model saved by 'wasm-rnn train --text', one sample per line
(the seed followed by what the model wrote).

  --model <file>           the saved model (required)
  --seed <text>            how each sample begins (default: empty, a new text)
  --steps <n>              at most this many tokens per sample (default 200); a sample also ends at <eos>
  --temperature <x>        0 = always the most likely token; 1 = the model's distribution (default); higher = more varied
  --top-k <n>              sample among the k most likely tokens only
  --count <n>              how many samples (default 1)
  --rng <n>                seed of the sampling, for repeatable samples (default: random)
${BACKEND_HELP}

Examples:
  wasm-rnn generate --model words.json --count 5 --temperature 0.7
  wasm-rnn generate --model words.json --seed "inter" --temperature 0`;

const OPTIONS = {
  model: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' }, temperature: { type: 'string' }, 'top-k': { type: 'string' },
  count: { type: 'string' }, rng: { type: 'string' }, backend: { type: 'string' },
} as const;

export const generate: Command = {
  name: 'generate',
  summary: 'write text with a saved text model (sampling with temperature and top-k)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const values = parseOptions('generate', argv, OPTIONS);
    if (values.help === true) {
      io.out(HELP);
      return 0;
    }
    const options = new OptionReader('generate', values);
    const steps = options.integer('steps', 200);
    const temperature = options.number('temperature', 1, { min: 0, max: Infinity });
    const topK = options.string('top-k') === undefined ? undefined : options.integer('top-k', 0);
    const count = options.integer('count', 1);
    const rng = options.string('rng') === undefined ? undefined : options.integer('rng', 0, 0);
    const seed = options.string('seed') ?? '';
    await startBackend(options);
    const model = await loadSequential(options);
    try {
      if (!isTokenModel(model)) throw options.fail(`--model holds a series model; forecast with 'wasm-rnn predict --model … --steps <n>'`);
      const tokenizer = model.tokenizer;
      if (tokenizer === null) throw options.fail('--model has no tokenizer saved with it, so it cannot write text');
      if (seed === '' && tokenizer.bosId === undefined) throw options.fail('the model has no start token, so give --seed <text>');
      for (let i = 0; i < count; i++) {
        const sample = model.generate({ seed, steps, temperature, ...(topK === undefined ? {} : { topK }), ...(rng === undefined ? {} : { rng: rng + i }) });
        // Decoding the seed's tokens with the new ones joins words with spaces and characters without.
        io.out(tokenizer.decode([...tokenizer.encode(seed), ...sample.ids]));
      }
      return 0;
    } finally {
      model.dispose();
    }
  },
};
