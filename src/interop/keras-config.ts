import { WasmRnnError, describe } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { InputShape, LayerSpec } from '../model/layer-specs.js';
import { Sequential } from '../model/sequential.js';
import type { PlannedLayer } from '../model/stack.js';
import { fail, list } from './keras-json.js';
import { KERAS_FLAVORS, declaredBatchShape, isInputLayer, specFromKeras, type KerasFlavor } from './keras-layers.js';
import { kerasChain, type KerasChain, type KerasLayer } from './keras-topology.js';
import { expectedKerasArrays, stateDictFromKeras } from './layer-weights.js';
import type { KerasLayerWeights } from './keras-weights.js';

export type { KerasFlavor } from './keras-layers.js';
export type { KerasArray, KerasLayerWeights } from './keras-weights.js';

/**
 * Builds a wasm-rnn Sequential from a Keras / tfjs model topology (a Sequential, or a Functional
 * model that forms one chain) and its weights: `weights` lists, in model order, every layer that
 * has weights with its arrays in Keras' own order (LSTM kernel, recurrent_kernel, bias;
 * Bidirectional the forward layer's arrays, then the backward layer's). `flavor` says which Keras
 * wrote it: it decides what `hard_sigmoid` means (Keras 3: relu6(x + 3) / 6; Keras 2 and tfjs:
 * clip(0.2x + 0.5, 0, 1)) and the defaults of missing keys (tfjs: hard_sigmoid gates, GRU
 * reset_after false; Keras 2 and 3: sigmoid, reset_after true). Anything it cannot map throws a
 * ModelFileError naming the layer and option and listing what is supported.
 */
export function modelFromKeras(topology: unknown, weights: KerasLayerWeights[], flavor: KerasFlavor): Sequential {
  return buildFromKeras('modelFromKeras', topology, weights, flavor);
}

/** modelFromKeras with the caller's name in messages (`loadTfjsModel`, `loadKerasModel`) and a runtime. */
export function buildFromKeras(where: string, topology: unknown, weights: KerasLayerWeights[], flavor: KerasFlavor, runtime?: Runtime): Sequential {
  if (!KERAS_FLAVORS.includes(flavor)) fail(where, `flavor must be one of ${KERAS_FLAVORS.map((f) => `'${f}'`).join(', ')}, got ${describe(flavor)}`);
  list(where, 'weights', weights);
  const chain = kerasChain(where, topology);
  const { specs, kerasLayers } = specsOf(where, chain, flavor);
  let model: Sequential;
  try {
    model = new Sequential(specs, { seed: 0, ...(chain.name === undefined ? {} : { name: chain.name }), ...(runtime === undefined ? {} : { runtime }) });
  } catch (cause) {
    return fail(where, `the layers do not fit together: ${(cause as Error).message}`, cause);
  }
  try {
    model.loadStateDict(stateDictOf(where, model.layers, kerasLayers, weights));
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** The chain's specs (InputLayer folded into the first layer's inputShape) and the Keras layer of each. */
function specsOf(where: string, chain: KerasChain, flavor: KerasFlavor): { specs: LayerSpec[]; kerasLayers: KerasLayer[] } {
  const layers = chain.layers;
  const misplaced = layers.findIndex((layer, i) => isInputLayer(layer) && i > 0);
  if (misplaced > 0) fail(where, `layer ${misplaced} '${layers[misplaced]!.name}' is an InputLayer after the first layer`);
  const body = layers.filter((layer) => !isInputLayer(layer));
  if (body.length === 0) fail(where, 'the model has no layers besides its input');
  const inputShape = modelInputShape(where, chain, body[0]!);
  const specs = body.map((layer, i) => {
    const label = `layer ${i} '${layer.name}' (${layer.className})`;
    try {
      return specFromKeras(layer, { where, flavor, label, inputShape: i === 0 ? inputShape : undefined });
    } catch (cause) {
      // A layers.* factory refusing a value (e.g. a dropout rate of 1.5) is a fault of the file.
      if (cause instanceof WasmRnnError && cause.name !== 'ModelFileError') fail(where, `${label}: ${cause.message}`, cause);
      throw cause;
    }
  });
  return { specs, kerasLayers: body };
}

/** The shape of one sample: from the InputLayer, the first layer's batch shape, or Keras 3's build config. */
function modelInputShape(where: string, chain: KerasChain, first: KerasLayer): InputShape | undefined {
  const input = chain.layers[0]!;
  const candidates = [
    isInputLayer(input) ? declaredBatchShape(input.config) : undefined,
    declaredBatchShape(first.config),
    first.buildInputShape,
    chain.buildInputShape,
  ];
  const batchShape = candidates.find((shape) => shape !== undefined && shape !== null);
  if (batchShape === undefined) return undefined;
  const shape = list(where, 'the model\'s input shape', batchShape).slice(1);
  const valid = shape.length >= 1 && shape.length <= 2 && shape.every((d, i) => (d === null && i === 0) || (typeof d === 'number' && Number.isInteger(d) && d >= 1));
  if (!valid) fail(where, `the model's input shape ${describe(batchShape)} is not supported; supported: [batch, timeSteps | null, features], [batch, features], or [batch, timeSteps | null] for an Embedding`);
  if (first.className === 'Embedding') return shape.length === 1 && shape[0] !== null ? [shape[0] as number] : undefined;
  if (shape.length === 1 && shape[0] === null) return undefined;
  return shape as (number | null)[];
}

/** Matches the weight list to the layers that have parameters, checks it and converts it. */
function stateDictOf(where: string, planned: readonly PlannedLayer[], kerasLayers: readonly KerasLayer[], weights: readonly KerasLayerWeights[]): Record<string, Float32Array> {
  const withWeights = planned.filter((layer) => layer.parameters.length > 0);
  if (weights.length !== withWeights.length) {
    const names = withWeights.map((layer) => `'${kerasLayers[layer.index]!.name}'`).join(', ') || 'none';
    fail(where, `the weights list has ${weights.length} layers, but the model has ${withWeights.length} layers with weights (${names})`);
  }
  const dict: Record<string, Float32Array> = {};
  withWeights.forEach((layer, i) => {
    const keras = kerasLayers[layer.index]!;
    const label = `layer ${layer.index} '${keras.name}' (${keras.className})`;
    const given = weights[i]!;
    if (given === null || typeof given !== 'object' || given.layerClass !== keras.className) {
      fail(where, `weights[${i}] should belong to ${label}, but it is of class ${describe(given?.layerClass)} (layer ${describe(given?.layerName)})`);
    }
    const expected = expectedKerasArrays(layer);
    const arrays = list(where, `weights[${i}].arrays`, given.arrays);
    const expectedText = expected.map((e) => `${e.name} [${e.shape.join(', ')}]`).join(', ');
    if (arrays.length !== expected.length) fail(where, `${label} needs ${expected.length} weight arrays (${expectedText}), got ${arrays.length}`);
    expected.forEach((e, k) => {
      const a = given.arrays[k]!;
      const shape = Array.isArray(a?.shape) ? a.shape : [];
      if (!(a?.data instanceof Float32Array) || shape.length !== e.shape.length || shape.some((d, j) => d !== e.shape[j]) || a.data.length !== e.shape.reduce((x, y) => x * y, 1)) {
        fail(where, `${label}: weight ${k} (${describe(a?.name)}) should be ${e.name} [${e.shape.join(', ')}] of float32, got shape ${describe(a?.shape)} with ${describe(a?.data)}; expected ${expectedText}`);
      }
      const bad = a.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) fail(where, `${label}: weight ${k} (${a.name}) holds ${a.data[bad]} at element ${bad}; weights must be finite`);
    });
    Object.assign(dict, stateDictFromKeras(layer, given.arrays));
  });
  return dict;
}
