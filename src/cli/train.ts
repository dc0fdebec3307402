import { existsSync } from 'node:fs';
import { WasmRnnError, layers, optimizers, perplexity, sequential, type LayerSpec, type Sequential } from '../index.js';
import { OptionReader, parseOptions } from './args.js';
import { BACKEND_HELP, startBackend } from './backend.js';
import type { CliIO, Command } from './command.js';
import { seriesData, textData, type SeriesData, type TextData } from './train-data.js';

const HELP = `Usage: wasm-rnn train (--csv <file> --column <name> | --text <file>) [options]

Trains a recurrent model and saves it, with its scaler or tokenizer, as one JSON file
that 'wasm-rnn predict' and 'wasm-rnn generate' read.

Data (one of):
  --csv <file>             a CSV file with a header row: learn to forecast one column
  --column <name>          the column to forecast (required with --csv)
  --text <file>            a text file: each non-empty line is one text to learn
  --level <char|word>      text: model characters (default) or words
  --min-count <n>          text: tokens seen fewer times become <unk> (default 1)

Model:
  --cell <lstm|gru|rnn>    the recurrent cell (default lstm)
  --units <n>              units per recurrent layer (default 32)
  --layers <n>             stacked recurrent layers (default 1)
  --window <n>             steps per training sequence (default 12 with --csv, 32 with --text)

Training:
  --epochs <n>             passes over the data (default 20)
  --batch-size <n>         sequences per update (default 32)
  --learning-rate <x>      Adam's learning rate (default 0.005 with --csv, 0.01 with --text)
  --validation-split <x>   fraction held out for val_loss (default 0.1; 0 = none): the last windows
                           of a series, a seeded random sample of a text's sequences
  --seed <n>               seed of the weights and the shuffling (default 1)
  --out <file>             where to save the model (default model.json)
  --quiet                  no progress bar
${BACKEND_HELP}

A series is scaled to [0, 1] (the scaler is saved with the model); the model reads --window
values and predicts the next one. A text model predicts the next token at every step.

Examples:
  wasm-rnn train --csv data/sunspots.csv --column SUNACTIVITY --epochs 100 --out sunspots.json
  wasm-rnn train --text data/words.txt --units 128 --epochs 10 --out words.json`;

const OPTIONS = {
  csv: { type: 'string' }, column: { type: 'string' }, text: { type: 'string' }, level: { type: 'string' }, 'min-count': { type: 'string' },
  cell: { type: 'string' }, units: { type: 'string' }, layers: { type: 'string' }, window: { type: 'string' },
  epochs: { type: 'string' }, 'batch-size': { type: 'string' }, 'learning-rate': { type: 'string' }, 'validation-split': { type: 'string' },
  seed: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' }, backend: { type: 'string' },
} as const;

const CELLS = { lstm: layers.lstm, gru: layers.gru, rnn: layers.simpleRNN } as const;

export const train: Command = {
  name: 'train',
  summary: 'train a model on a CSV column or a text file and save it',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const values = parseOptions('train', argv, OPTIONS);
    if (values.help === true) {
      io.out(HELP);
      return 0;
    }
    const options = new OptionReader('train', values);
    const settings = readSettings(options);
    const runningOn = await startBackend(options);
    const data = await readData(options, settings.window);
    io.out(`data: ${data.summary}`);
    const model = buildModel(data, settings);
    try {
      model.compile({
        optimizer: optimizers.adam({ learningRate: settings.learningRate }),
        loss: data.kind === 'series' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy',
        metrics: data.kind === 'series' ? ['mae'] : ['accuracy'],
      });
      if (data.kind === 'series') model.scaler = data.scaler;
      else model.tokenizer = data.tokenizer;
      let trained = 0;
      const started = performance.now();
      const history = await model.fit(data.x, data.y, {
        epochs: settings.epochs, batchSize: settings.batchSize, validationSplit: settings.validationSplit, seed: settings.seed, verbose: settings.quiet ? 0 : 1,
        callbacks: { onBatchEnd: (_batch, logs) => void (trained += logs.size) },
      });
      const seconds = (performance.now() - started) / 1000;
      const logs = Object.entries(model.lastLogs ?? {}).map(([key, value]) => `${key} ${value.toFixed(4)}`).join(' · ');
      const validation = data.kind === 'text' && model.lastLogs?.val_loss !== undefined ? ` · validation perplexity ${perplexity(model.lastLogs.val_loss).toFixed(2)}` : '';
      io.out(`trained ${history.epoch.length} epochs in ${seconds.toFixed(1)} s (${Math.round(trained / seconds).toLocaleString('en-US')} seq/s on ${runningOn}): ${logs}${validation}`);
      const saved = await model.save(settings.out);
      io.out(`saved ${saved.path} (${(saved.bytes / 1024).toFixed(1)} kB)`);
      return 0;
    } finally {
      model.dispose();
    }
  },
};

interface TrainSettings {
  cell: keyof typeof CELLS;
  units: number;
  layers: number;
  window: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  validationSplit: number;
  seed: number;
  out: string;
  quiet: boolean;
}

function readSettings(options: OptionReader): TrainSettings {
  const isText = options.string('text') !== undefined;
  return {
    cell: options.choice('cell', 'lstm', Object.keys(CELLS) as (keyof typeof CELLS)[]),
    units: options.integer('units', 32),
    layers: options.integer('layers', 1),
    window: options.integer('window', isText ? 32 : 12),
    epochs: options.integer('epochs', 20),
    batchSize: options.integer('batch-size', 32),
    learningRate: options.number('learning-rate', isText ? 0.01 : 0.005, { min: 0, max: 10, open: true }),
    validationSplit: options.number('validation-split', 0.1, { min: 0, max: 0.9 }),
    seed: options.integer('seed', 1, 0),
    out: options.string('out') ?? 'model.json',
    quiet: options.flag('quiet'),
  };
}

/** Reads --csv/--column or --text; problems with the files are usage errors. */
async function readData(options: OptionReader, window: number): Promise<SeriesData | TextData> {
  const csv = options.string('csv');
  const text = options.string('text');
  if ((csv === undefined) === (text === undefined)) throw options.fail('give one data source: --csv <file> --column <name>, or --text <file>');
  const path = (csv ?? text)!;
  if (!existsSync(path)) throw options.fail(`--${csv !== undefined ? 'csv' : 'text'}: there is no file '${path}'`);
  try {
    if (csv !== undefined) {
      if (options.string('level') !== undefined || options.string('min-count') !== undefined) throw options.fail('--level and --min-count apply to --text only');
      return await seriesData(csv, options.required('column', 'SUNACTIVITY'), window);
    }
    if (options.string('column') !== undefined) throw options.fail('--column applies to --csv only');
    return textData(text!, options.choice('level', 'char', ['char', 'word'] as const), window, options.integer('min-count', 1), options.integer('seed', 1, 0));
  } catch (error) {
    // The library's checks of the file's content (missing cells, unknown columns) name the problem.
    if (error instanceof WasmRnnError) throw options.fail(error.message);
    throw error;
  }
}

function buildModel(data: SeriesData | TextData, settings: TrainSettings): Sequential {
  const cell = CELLS[settings.cell];
  const recurrent = (i: number, first: Partial<{ inputShape: [number, number] }>): LayerSpec =>
    cell({ units: settings.units, returnSequences: data.kind === 'text' || i < settings.layers - 1, ...(i === 0 ? first : {}) });
  if (data.kind === 'series') {
    return sequential([
      ...Array.from({ length: settings.layers }, (_, i) => recurrent(i, { inputShape: [data.window, 1] })),
      layers.dense({ units: 1 }),
    ], { seed: settings.seed, name: 'series' });
  }
  const vocab = data.tokenizer.vocabSize;
  return sequential([
    layers.embedding({ inputDim: vocab, outputDim: Math.min(32, vocab), maskZero: true }),
    ...Array.from({ length: settings.layers }, (_, i) => recurrent(i, {})),
    layers.dense({ units: vocab, activation: 'softmax' }),
  ], { seed: settings.seed, name: 'text' });
}
