import type { StackPlan } from '../model/stack.js';
import type { Tensor } from '../tensor.js';
import { kerasArraysOf } from './layer-weights.js';
import { tfjsTopology, tfjsWeightNames } from './tfjs-topology.js';

/** One weight of a tfjs weights manifest. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** A tfjs layers model in memory: model.json's object and the weight data (one shard). */
export interface TfjsModelArtifacts {
  modelJson: {
    format: 'layers-model';
    generatedBy: string;
    convertedBy: null;
    modelTopology: Record<string, unknown>;
    weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  };
  weights: ArrayBuffer;
}

/** What the export reads of a Sequential model. */
export interface ExportableModel {
  readonly name: string;
  readonly plan: StackPlan;
  stateDict(): Record<string, Tensor>;
}

/** The file name of the one weight shard `toTfjs` describes and `save(dir, { format: 'tfjs' })` writes. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/**
 * A model as a tfjs layers model: `tf.loadLayersModel(tf.io.fromMemory({ modelTopology,
 * weightSpecs: weightsManifest[0].weights, weightData: weights }))` rebuilds it, or save both as
 * model.json + weights.bin. Weights go to Keras' layout (transposed kernels, Keras gate order,
 * one bias per direction: b_ih + b_hh). GRUs with resetAfter: true, the 'hardSigmoidKeras3'
 * gate and zeroOutputForMask where its zeros reach the output are refused (tfjs cannot compute
 * them); zeroOutputForMask that cannot show in tfjs is dropped (see tfjs-topology.ts).
 */
export function modelToTfjs(model: ExportableModel, where = 'toTfjs'): TfjsModelArtifacts {
  const modelTopology = tfjsTopology(where, model.name, model.plan);
  const values = model.stateDict();
  const value = (name: string) => values[name]!.data;
  const weights: TfjsWeightSpec[] = [];
  const chunks: Float32Array[] = [];
  for (const layer of model.plan.layers) {
    const arrays = kerasArraysOf(layer, value);
    const names = tfjsWeightNames(layer, arrays.map((a) => a.name));
    arrays.forEach((array, i) => {
      weights.push({ name: names[i]!, shape: array.shape, dtype: 'float32' });
      chunks.push(array.data);
    });
  }
  const data = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return {
    modelJson: { format: 'layers-model', generatedBy: 'wasm-rnn', convertedBy: null, modelTopology, weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights }] },
    weights: data.buffer,
  };
}
