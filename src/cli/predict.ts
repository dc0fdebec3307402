import { existsSync } from 'node:fs';
import { WasmRnnError, readCsvFile, scalerFromJSON, type Sequential } from '../index.js';
import { OptionReader, parseOptions } from './args.js';
import { BACKEND_HELP, startBackend } from './backend.js';
import type { CliIO, Command } from './command.js';
import { isTokenModel, loadSequential } from './model-file.js';

const HELP = `Usage: wasm-rnn predict --model <file> (--csv <file> --column <name> | --values <list> | --text <prefix>) [options]

Predicts with a model saved by 'wasm-rnn train'.

Series model (trained with --csv): forecasts the values that follow a series, one per line.
  --csv <file>             read the series from a CSV file with a header row …
  --column <name>          … from this column (its last --window values are used)
  --values <v1,v2,…>       or give the series on the command line
  --steps <n>              values to forecast (default 1); each forecast joins the window for the next

Text model (trained with --text): the most likely next tokens after a prefix, with probabilities.
  --text <prefix>          the beginning of a text ('' = the start of a new one)
  --top <n>                how many tokens to list (default 5)

  --model <file>           the saved model (required)
${BACKEND_HELP}

Examples:
  wasm-rnn predict --model sunspots.json --csv data/sunspots.csv --column SUNACTIVITY --steps 3
  wasm-rnn predict --model words.json --text "inter"`;

const OPTIONS = {
  model: { type: 'string' }, csv: { type: 'string' }, column: { type: 'string' }, values: { type: 'string' }, steps: { type: 'string' },
  text: { type: 'string' }, top: { type: 'string' }, backend: { type: 'string' },
} as const;

export const predict: Command = {
  name: 'predict',
  summary: 'forecast the next values of a series, or list the likely next tokens of a text',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const values = parseOptions('predict', argv, OPTIONS);
    if (values.help === true) {
      io.out(HELP);
      return 0;
    }
    const options = new OptionReader('predict', values);
    await startBackend(options);
    const model = await loadSequential(options);
    try {
      if (isTokenModel(model)) nextTokens(model, options, io);
      else await forecast(model, options, io);
      return 0;
    } finally {
      model.dispose();
    }
  },
};

/** Sliding-window forecast: the model reads the last `window` values, exactly as in training. */
async function forecast(model: Sequential, options: OptionReader, io: CliIO): Promise<void> {
  if (options.string('text') !== undefined || options.string('top') !== undefined) throw options.fail('--model holds a series model: give --csv/--column or --values, not --text/--top');
  const steps = options.integer('steps', 1);
  const series = await readSeries(options);
  const window = model.inputShape[1] ?? series.length;
  if (series.length < window) throw options.fail(`the model reads windows of ${window} values, but the series has ${series.length}`);
  const scaler = model.scaler === null ? null : scalerFromJSON(model.scaler.toJSON());
  const recent = Array.from(scaler === null ? series.slice(-window) : scaler.transform(series.slice(-window)));
  for (let step = 0; step < steps; step++) {
    const next = model.predict([recent.map((v) => [v])]).data[0]!;
    recent.shift();
    recent.push(next);
    io.out(String(Number((scaler === null ? next : scaler.inverse([next])[0]!).toPrecision(6))));
  }
}

async function readSeries(options: OptionReader): Promise<Float64Array> {
  const csv = options.string('csv');
  const list = options.string('values');
  if ((csv === undefined) === (list === undefined)) throw options.fail('give the series with --csv <file> --column <name>, or with --values <v1,v2,…>');
  if (list !== undefined) {
    const texts = list.split(',');
    const bad = texts.findIndex((text) => text.trim() === '' || !Number.isFinite(Number(text)));
    if (bad >= 0) throw options.fail(`--values must be numbers separated by commas, but value ${bad + 1} is '${texts[bad]}'`);
    return Float64Array.from(texts, Number);
  }
  if (!existsSync(csv!)) throw options.fail(`--csv: there is no file '${csv}'`);
  const column = options.required('column', 'SUNACTIVITY');
  try {
    return (await readCsvFile(csv!, { columns: [column] })).column(column);
  } catch (error) {
    if (error instanceof WasmRnnError) throw options.fail(error.message);
    throw error;
  }
}

/** The next-token distribution after the prefix, read by streaming the prefix through `step`. */
function nextTokens(model: Sequential, options: OptionReader, io: CliIO): void {
  if (['csv', 'column', 'values', 'steps'].some((name) => options.string(name) !== undefined)) throw options.fail('--model holds a text model: give --text <prefix>, not a series');
  const tokenizer = model.tokenizer;
  if (tokenizer === null) throw options.fail('--model has no tokenizer saved with it, so text cannot be turned into tokens');
  const prefix = options.string('text');
  if (prefix === undefined) throw options.fail('--text <prefix> is required with a text model, e.g. --text "inter"');
  const top = options.integer('top', 5);
  const ids = tokenizer.encode(prefix);
  const prompt = tokenizer.eosId !== undefined && ids.at(-1) === tokenizer.eosId ? ids.slice(0, -1) : ids;
  if (prompt.length === 0) throw options.fail('--text is empty and the model has no start token; give at least one token');
  model.resetState();
  let probabilities: Float32Array = new Float32Array(0);
  for (const id of prompt) probabilities = model.step(id).data;
  model.resetState();
  const ranked = Array.from(probabilities, (p, id) => ({ id, p })).sort((a, b) => b.p - a.p).slice(0, top);
  for (const { id, p } of ranked) io.out(`${id === tokenizer.eosId ? '<eos>' : tokenizer.tokens[id]}\t${p.toFixed(4)}`);
}
