import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { loadKerasModel } from '../../src/interop/keras-file.js';
import { loadTfjsModel } from '../../src/interop/tfjs-load.js';
import { loadModel } from '../../src/io/save-load.js';
import { loadSafetensors, saveSafetensors } from '../../src/io/safetensors.js';
import { init } from '../../src/kernels/backend.js';
import { layers } from '../../src/model/layer-specs.js';
import type { Sequential } from '../../src/model/sequential.js';
import { tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { createRuntime } from '../helpers/runtimes.js';
import { onnxPredict, onnxSession, randomModel } from '../interop/onnx-models.js';

/*
 * `wasm-rnn convert <in> <out>`, in process: every supported pair of formats converts a model
 * whose outputs stay the same (read back with the library's own readers, ONNX with
 * onnxruntime-web); Keras inputs are checked against Keras' own predictions. Pairs convert cannot
 * do and bad arguments exit 2 with a message naming the problem.
 */

const TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };
const KERAS = new URL('../fixtures/keras/', import.meta.url);

interface Run {
  code: number;
  out: string;
  err: string;
}

async function convert(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['convert', ...args, '--backend', 'js'], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir = '';
/** The same batch for every model: 3 sequences of 5 steps of 3 features (Keras' fixture input). */
let input: { values: Float32Array; shape: number[] };
/** Keras' predictions for `input` with simple_rnn.keras/.h5. */
let kerasOutput: Float32Array;

beforeAll(async () => {
  await init({ backend: 'js' });
  dir = await mkdtemp(join(tmpdir(), 'wasm-rnn-convert-'));
  const fixture = JSON.parse(await readFile(new URL('simple_rnn.json', KERAS), 'utf8')) as { input: { shape: number[]; data: number[] }; output: { data: number[] } };
  input = { values: Float32Array.from(fixture.input.data), shape: fixture.input.shape };
  kerasOutput = Float32Array.from(fixture.output.data);
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** A model every output format can express (tfjs needs reset-before GRUs), with random weights. */
function ownModel(): Sequential {
  return randomModel([
    layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 3] }),
    layers.gru({ units: 3, resetAfter: false, recurrentActivation: 'hardSigmoid' }),
    layers.dense({ units: 2, activation: 'tanh' }),
  ], createRuntime('js'), 11);
}

function predictWith(model: Sequential): Float32Array {
  try {
    return model.predict(tensor(input.values, input.shape)).data;
  } finally {
    model.dispose();
  }
}

/** What the file at `path` predicts for `input`, read as `format`. */
async function predictionsOf(format: string, path: string, architecture: string): Promise<Float32Array> {
  switch (format) {
    case 'json':
      return predictWith((await loadModel(path)) as Sequential);
    case 'tfjs':
      return predictWith(await loadTfjsModel(path));
    case 'keras':
      return predictWith(await loadKerasModel(path));
    case 'safetensors': {
      const model = (await loadModel(architecture)) as Sequential;
      model.loadStateDict(loadSafetensors(await readFile(path)));
      return predictWith(model);
    }
    default: {
      const session = await onnxSession(new Uint8Array(await readFile(path)));
      try {
        return (await onnxPredict(session, input.values, input.shape, false)).data;
      } finally {
        await session.release();
      }
    }
  }
}

/** The output path of a format in a fresh folder. */
async function target(format: string, name: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  return join(folder, { json: 'converted.json', tfjs: 'model.json', onnx: 'model.onnx', safetensors: 'weights.safetensors' }[format]!);
}

const OUTPUTS = ['json', 'tfjs', 'onnx', 'safetensors'] as const;

describe('wasm-rnn convert: every supported pair keeps the outputs', () => {
  /** Inputs made from one of our models: its own predictions are the reference. */
  const own = async (name: string) => {
    const model = ownModel();
    const expected = model.predict(tensor(input.values, input.shape)).data;
    const architecture = join(dir, `${name}-architecture.json`);
    await model.save(architecture);
    let path: string;
    if (name === 'json') path = architecture;
    else if (name === 'tfjs') path = (await model.save(join(dir, 'tfjs-in'), { format: 'tfjs' })).path;
    else {
      path = join(dir, 'in.safetensors');
      // Other weights than the architecture file's, so that loading them is observable.
      const other = ownModel();
      await writeFile(path, saveSafetensors(other.stateDict()));
      const otherExpected = other.predict(tensor(input.values, input.shape)).data;
      other.dispose();
      model.dispose();
      return { path, architecture, expected: otherExpected, extra: ['--model', architecture] };
    }
    model.dispose();
    return { path, architecture, expected, extra: [] as string[] };
  };

  const INPUTS: { name: string; source: () => Promise<{ path: string; architecture: string; expected: Float32Array; extra: string[] }> }[] = [
    { name: 'json', source: () => own('json') },
    { name: 'tfjs', source: () => own('tfjs') },
    { name: 'safetensors', source: () => own('safetensors') },
    ...['keras', 'h5'].map((extension) => ({
      name: extension,
      source: async () => {
        const path = new URL(`simple_rnn.${extension}`, KERAS).pathname;
        const architecture = join(dir, `${extension}-architecture.json`);
        const model = await loadKerasModel(path);
        await model.save(architecture);
        model.dispose();
        return { path, architecture, expected: kerasOutput, extra: [] };
      },
    })),
  ];

  for (const from of INPUTS) {
    it.each(OUTPUTS)(`${from.name} → %s`, async (to) => {
      const source = await from.source();
      const out = await target(to, `${from.name}-to-${to}`);
      const run = await convert(source.path, out, ...source.extra);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(run.out).toMatch(new RegExp(`^wrote .*${out.split('/').pop()} \\(.+, \\d+ bytes\\) from `));
      if (to === 'tfjs') expect((await readdir(join(out, '..'))).sort()).toEqual(['model.json', 'weights.bin']);
      expectClose(await predictionsOf(to, out, source.architecture), source.expected, TOLERANCE, `${from.name} → ${to}`);
    });
  }

  it('--opset reaches the ONNX file', async () => {
    const out = await target('onnx', 'opset');
    const run = await convert(new URL('simple_rnn.keras', KERAS).pathname, out, '--opset', '14');
    expect(run.code).toBe(0);
    const model = await loadKerasModel(new URL('simple_rnn.keras', KERAS).pathname);
    expect(new Uint8Array(await readFile(out))).toEqual(await model.toOnnx({ opset: 14 }));
    expect(await model.toOnnx({ opset: 14 })).not.toEqual(await model.toOnnx());
    model.dispose();
    expectClose(await predictionsOf('onnx', out, ''), kerasOutput, TOLERANCE);
  });
});

describe('wasm-rnn convert: Keras models with masks to ONNX', () => {
  it.each([
    ['embedding_mask', 'maskZero embedding, post- and pre-padded ids', true],
    ['zero_output', 'Masking → LSTM zero_output_for_mask per step → TimeDistributed(Dense)', false],
    ['masked_bidirectional', 'Masking → Bidirectional GRU per step → Dense', false],
  ])("%s (%s): onnxruntime-web gives Keras' predictions", async (name, _, ids) => {
    const fixture = JSON.parse(await readFile(new URL(`${name}.json`, KERAS), 'utf8')) as { input: { shape: number[]; data: number[] }; output: { data: number[] } };
    const out = await target('onnx', `mask-${name}`);
    const run = await convert(new URL(`${name}.keras`, KERAS).pathname, out);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const session = await onnxSession(new Uint8Array(await readFile(out)));
    const result = await onnxPredict(session, Float32Array.from(fixture.input.data), fixture.input.shape, ids);
    await session.release();
    expectClose(result.data, Float32Array.from(fixture.output.data), TOLERANCE);
  });
});

describe('wasm-rnn convert: what it cannot do', () => {
  const keras = () => new URL('simple_rnn.keras', KERAS).pathname;
  const cases: [string, () => string[], RegExp][] = [
    ['a Keras output', () => [keras(), join(dir, 'x.keras')], /cannot write '.*x\.keras': Keras files are read, not written; outputs: wasm-rnn \.json, tfjs model\.json, ONNX, safetensors/],
    ['an ONNX input', () => [join(dir, 'x.onnx'), join(dir, 'x.json')], /cannot read '.*x\.onnx': ONNX files are written, not read/],
    ['an unknown extension', () => [keras(), join(dir, 'x.pt')], /cannot tell the format of '.*x\.pt' from its extension '\.pt'; known: /],
    ['no extension', () => [keras(), join(dir, 'model')], /\(it has none\)/],
    ['safetensors without --model', () => [join(dir, 'weights-only.safetensors'), join(dir, 'y.onnx')], /holds weights only .*give the model with --model <file>/],
    ['--model naming a safetensors file', () => [join(dir, 'weights-only.safetensors'), join(dir, 'y.onnx'), '--model', join(dir, 'weights-only.safetensors')], /--model .*weights-only\.safetensors holds weights only; it must name the layers/],
    ['--model with another input', () => [keras(), join(dir, 'y.onnx'), '--model', keras()], /--model is for a \.safetensors input only/],
    ['--opset without an ONNX output', () => [keras(), join(dir, 'y.json'), '--opset', '17'], /--opset is for an \.onnx output only/],
    ['--opset too high', () => [keras(), join(dir, 'y.onnx'), '--opset', '22'], /opset must be an integer from 14 to 21, got 22/],
    ['--opset not an integer', () => [keras(), join(dir, 'y.onnx'), '--opset', 'new'], /--opset must be an integer/],
    ['one path', () => [keras()], /give the input and the output file.*got '.*simple_rnn\.keras'/],
    ['three paths', () => [keras(), 'a.json', 'b.json'], /give the input and the output file/],
    ['a missing input', () => [join(dir, 'nothing.keras'), join(dir, 'y.json')], /there is no file '.*nothing\.keras'/],
    ['a broken Keras file', () => [new URL('tiny_wrong_shape.keras', KERAS).pathname, join(dir, 'y.json')], /cannot read '.*tiny_wrong_shape\.keras' as Keras: .*should be/],
    ['an unknown option', () => [keras(), join(dir, 'y.onnx'), '--opsett', '17'], /unknown option '--opsett' \(did you mean '--opset'\?\)/],
  ];

  it.each(cases)('%s: exit 2 and a message', async (_, args, message) => {
    await writeFile(join(dir, 'x.onnx'), 'not read');
    await writeFile(join(dir, 'weights-only.safetensors'), saveSafetensors({ w: { data: new Float32Array(1), shape: [1] } }));
    const run = await convert(...args());
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(message);
    expect(run.err).toMatch(/Run 'wasm-rnn convert --help'/);
  });

  it('a JSON input that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "format": ');
    const run = await convert(path, join(dir, 'y.onnx'));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/'.*broken\.json' is not a JSON file/);
  });

  it('safetensors whose names do not fit --model: exit 2 naming the file', async () => {
    const path = join(dir, 'wrong.safetensors');
    await writeFile(path, saveSafetensors({ '0.weight': { data: new Float32Array(2), shape: [2] } }));
    const run = await convert(path, join(dir, 'y.onnx'), '--model', new URL('simple_rnn.keras', KERAS).pathname);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/cannot read '.*wrong\.safetensors' as safetensors: loadStateDict/);
  });

  it('a model the output format cannot express: exit 1 with the reason', async () => {
    const run = await convert(new URL('masking.keras', KERAS).pathname, join(dir, 'masking.onnx'));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/wasm-rnn convert: ValueError: .*outputs the carried state at the steps masked by layer 0 'masking' \(Masking\)/);
  });

  it('--help and the command list', async () => {
    const help = await convert('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: wasm-rnn convert <in> <out>/);
    const out: string[] = [];
    await runCli(['--help'], { out: (l) => out.push(l), err: () => undefined });
    expect(out.join('\n')).toMatch(/^ {2}convert +convert a model between/m);
  });
});
