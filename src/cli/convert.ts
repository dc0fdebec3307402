import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { OptionError, Sequential, WasmRnnError, loadKerasModel, loadModel, loadSafetensors, loadTfjsModel, saveSafetensors } from '../index.js';
import { OptionReader, parseOptions, type OptionSpec } from './args.js';
import { BACKEND_HELP, startBackend } from './backend.js';
import type { CliIO, Command } from './command.js';

const HELP = `Usage: wasm-rnn convert <in> <out> [options]

Converts a model between file formats, chosen by extension:

  format                      in   out
  .json        wasm-rnn       yes  yes   (the format of 'wasm-rnn train' and model.save)
  model.json   tfjs layers    yes  yes   (out: weights.bin is written beside it)
  .keras, .h5  Keras          yes  no
  .onnx        ONNX           no   yes   (ONNX's own RNN/LSTM/GRU operators)
  .safetensors state dict     yes  yes   (weights only, PyTorch names: in needs --model)

A .json input is read as tfjs when it holds a tfjs model (modelTopology), else as wasm-rnn;
a .json output named model.json is written as tfjs, any other name as wasm-rnn.

Options:
  --model <file>           with a .safetensors input: the model the weights belong to (any
                           input format above); its architecture is kept, its weights replaced
  --opset <n>              with an .onnx output: the ONNX opset, 14 to 21 (default 17)
${BACKEND_HELP}

Examples:
  wasm-rnn convert model.keras model.onnx
  wasm-rnn convert model.keras web/model.json
  wasm-rnn convert weights.safetensors model.json --model architecture.json

Exit codes: 0 converted; 2 bad arguments, an unreadable input or a format pair convert
cannot do; 1 the output format cannot express this model (the message says why) or writing failed.`;

const OPTIONS: OptionSpec = { model: { type: 'string' }, opset: { type: 'string' }, backend: { type: 'string' } };

type Format = 'json' | 'tfjs' | 'keras' | 'onnx' | 'safetensors';

const READS: readonly Format[] = ['json', 'tfjs', 'keras', 'safetensors'];
const WRITES: readonly Format[] = ['json', 'tfjs', 'onnx', 'safetensors'];
const LABEL: Record<Format, string> = { json: 'wasm-rnn .json', tfjs: 'tfjs model.json', keras: 'Keras', onnx: 'ONNX', safetensors: 'safetensors' };

export const convert: Command = {
  name: 'convert',
  summary: 'convert a model between wasm-rnn .json, tfjs, Keras (in), ONNX (out) and safetensors',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { paths, rest } = splitPositionals(argv);
    const values = parseOptions('convert', rest, OPTIONS);
    if (values.help === true) {
      io.out(HELP);
      return 0;
    }
    const options = new OptionReader('convert', values);
    if (paths.length !== 2) throw options.fail(`give the input and the output file, e.g. 'wasm-rnn convert model.keras model.onnx'; got ${paths.length === 0 ? 'none' : paths.map((p) => `'${p}'`).join(', ')}`);
    const [input, output] = paths as [string, string];
    const to = outputFormat(options, output);
    if (!existsSync(input)) throw options.fail(`there is no file '${input}'`);
    const from = await inputFormat(options, input);
    checkOptionsFit(options, from, to);
    await startBackend(options);
    const model = await readModel(options, from, input);
    try {
      const bytes = await writeModel(options, model, to, output);
      io.out(`wrote ${output} (${LABEL[to]}, ${bytes} bytes) from ${input} (${LABEL[from]})`);
      return 0;
    } catch (error) {
      // The writers' OptionErrors are about the options passed on from the command line (--opset).
      if (error instanceof OptionError) throw options.fail(error.message);
      throw error;
    } finally {
      model.dispose();
    }
  },
};

/** The two paths, and the options without them for parseOptions (which refuses positionals). */
function splitPositionals(argv: readonly string[]): { paths: string[]; rest: string[] } {
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const positional = new Set(tokens.filter((t) => t.kind === 'positional').map((t) => t.index));
  return { paths: argv.filter((_, i) => positional.has(i)), rest: argv.filter((_, i) => !positional.has(i)) };
}

const KNOWN = '.json (wasm-rnn or tfjs model.json), .keras, .h5, .onnx, .safetensors';
/** What --model may name: a file that holds the layers. */
const ARCHITECTURES = 'a wasm-rnn .json, a tfjs model.json, a .keras or .h5 file';

function formatByExtension(options: OptionReader, path: string): Exclude<Format, 'tfjs'> {
  const extension = extname(path).toLowerCase();
  switch (extension) {
    case '.json':
      return 'json';
    case '.keras':
    case '.h5':
      return 'keras';
    case '.onnx':
      return 'onnx';
    case '.safetensors':
      return 'safetensors';
    default:
      throw options.fail(`cannot tell the format of '${path}' from its extension${extension === '' ? ' (it has none)' : ` '${extension}'`}; known: ${KNOWN}`);
  }
}

function outputFormat(options: OptionReader, path: string): Format {
  const format = formatByExtension(options, path);
  if (format === 'keras') throw options.fail(`cannot write '${path}': Keras files are read, not written; outputs: ${WRITES.map((f) => LABEL[f]).join(', ')}`);
  return format === 'json' && basename(path) === 'model.json' ? 'tfjs' : format;
}

async function inputFormat(options: OptionReader, path: string): Promise<Format> {
  const format = formatByExtension(options, path);
  if (format === 'onnx') throw options.fail(`cannot read '${path}': ONNX files are written, not read; inputs: ${READS.map((f) => LABEL[f]).join(', ')}`);
  return format === 'json' && (await holdsTfjsModel(options, path)) ? 'tfjs' : format;
}

/** A tfjs model.json has modelTopology (and weightsManifest); the wasm-rnn format has none. */
async function holdsTfjsModel(options: OptionReader, path: string): Promise<boolean> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw options.fail(`'${path}' is not a JSON file: ${(error as Error).message}`);
  }
  return typeof document === 'object' && document !== null && 'modelTopology' in document;
}

function checkOptionsFit(options: OptionReader, from: Format, to: Format): void {
  if (from === 'safetensors' && options.string('model') === undefined) {
    throw options.fail(`a .safetensors file holds weights only (a state dict: names, shapes, values), not the layers they belong to; give the model with --model <file> (${ARCHITECTURES} with the same layers)`);
  }
  if (from !== 'safetensors' && options.string('model') !== undefined) throw options.fail('--model is for a .safetensors input only (the architecture its weights belong to)');
  if (to !== 'onnx' && options.string('opset') !== undefined) throw options.fail('--opset is for an .onnx output only');
}

/** Reads a model; a file that cannot be read as its format is a usage error (exit 2). */
async function readModel(options: OptionReader, format: Format, path: string): Promise<Sequential> {
  if (format === 'safetensors') {
    const architecture = options.string('model')!;
    if (!existsSync(architecture)) throw options.fail(`--model: there is no file '${architecture}'`);
    const layersFormat = await inputFormat(options, architecture);
    if (layersFormat === 'safetensors') throw options.fail(`--model ${architecture} holds weights only; it must name the layers: ${ARCHITECTURES}`);
    const model = await readModel(options, layersFormat, architecture);
    try {
      model.loadStateDict(loadSafetensors(await readFile(path)));
      return model;
    } catch (error) {
      model.dispose();
      throw readFailure(options, path, format, error);
    }
  }
  try {
    const model = format === 'keras' ? await loadKerasModel(path) : format === 'tfjs' ? await loadTfjsModel(path) : await loadModel(path);
    if (model instanceof Sequential) return model;
    model.dispose();
    throw options.fail(`'${path}' holds an encoder–decoder (seq2seq) model; convert handles sequential models`);
  } catch (error) {
    throw readFailure(options, path, format, error);
  }
}

function readFailure(options: OptionReader, path: string, format: Format, error: unknown): Error {
  if (!(error instanceof WasmRnnError)) return error as Error;
  return options.fail(`cannot read '${path}' as ${LABEL[format]}: ${error.message}`);
}

/** Writes the model; returns the bytes written. */
async function writeModel(options: OptionReader, model: Sequential, format: Format, path: string): Promise<number> {
  switch (format) {
    case 'json':
      return (await model.save(path)).bytes;
    case 'tfjs':
      return (await model.save(dirname(path), { format: 'tfjs' })).bytes;
    case 'onnx':
      return (await model.save(path, { format: 'onnx', ...(options.string('opset') === undefined ? {} : { opset: options.integer('opset', 0) }) })).bytes;
    default: {
      const bytes = saveSafetensors(model.stateDict());
      // Written beside the target and renamed over it, so a failed write leaves no half file.
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, path);
      } finally {
        await rm(temporary, { force: true });
      }
      return bytes.byteLength;
    }
  }
}
