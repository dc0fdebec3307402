import { ValueError } from '../errors.js';
import type { LayerSpec, RecurrentSpec } from '../model/layer-specs.js';
import { readsBackwards, type PlannedLayer, type StackPlan } from '../model/stack.js';
import type { OnnxGraph } from './onnx-graph.js';
import { realIds, realValues } from './onnx-mask.js';

/*
 * Where a model's mask starts and where the export puts per-step outputs back in time order
 * (onnx-mask.ts sorts real steps first), and the masks it refuses.
 */

export interface MaskPlan {
  /** The layer that starts the mask: an embedding with maskZero, or Masking. */
  readonly source: PlannedLayer;
  /**
   * Index of the layer after which per-step outputs go back to their steps (the last layer that
   * knows the mask: the source or the last recurrent layer after it), or −1 when the model
   * outputs one vector per sequence.
   */
  readonly unsortAfter: number;
}

function label(layer: PlannedLayer): string {
  return `layer ${layer.index} '${layer.name}' (${layer.spec.className})`;
}

function startsMask(spec: LayerSpec): boolean {
  return spec.className === 'Masking' || (spec.className === 'Embedding' && spec.config.maskZero);
}

function recurrentOf(spec: LayerSpec): RecurrentSpec | null {
  if (spec.className === 'Bidirectional') return spec.config.layer;
  return spec.className === 'SimpleRNN' || spec.className === 'LSTM' || spec.className === 'GRU' ? spec : null;
}

/** The model's mask, or null; throws a ValueError for a mask the export cannot reproduce. */
export function planMask(where: string, plan: StackPlan): MaskPlan | null {
  const start = plan.layers.findIndex((layer) => startsMask(layer.spec));
  if (start < 0) return null;
  const source = plan.layers[start]!;
  let last = start;
  for (const layer of plan.layers.slice(start + 1)) {
    if (startsMask(layer.spec)) throw new ValueError(`${where}: ${label(layer)} masks steps again after ${label(source)}; the ONNX export supports one mask`);
    if (readsBackwards(layer)) {
      throw new ValueError(`${where}: ${label(layer)} has goBackwards: true after the mask of ${label(source)}, which the ONNX export does not support (its reversed per-step outputs keep the unreversed mask); use a bidirectional layer, or no mask`);
    }
    if (recurrentOf(layer.spec) !== null) last = layer.index;
  }
  // An embedding's mask only steers the recurrent layers after it (its rows at id 0 are computed
  // like any other); without one, the model reads every step and the export needs no mask.
  if (last === start && source.spec.className === 'Embedding') return null;
  if (!plan.output.sequence) return { source, unsortAfter: -1 };
  const lastLayer = plan.layers[last]!;
  const recurrent = recurrentOf(lastLayer.spec);
  // predict shows what the layers after the last recurrent one make of its output at masked
  // steps: the carried state (ONNX cannot give it), or zeros with zeroOutputForMask.
  if (recurrent !== null && recurrent.config.zeroOutputForMask !== true) {
    throw new ValueError(`${where}: ${label(lastLayer)} outputs the carried state at the steps masked by ${label(source)}, which ONNX's RNN/LSTM/GRU operators cannot give (they skip steps only at the end of a sequence); supported with a mask: models that output one vector per sequence, or whose last recurrent layer has zeroOutputForMask: true (as Keras' Bidirectional sets it)`);
  }
  return { source, unsortAfter: last };
}

/** float32 [T, B]: the real steps of the mask `layer` starts, from its input x. */
export function realStepsOf(g: OnnxGraph, layer: PlannedLayer, x: string): string {
  const { spec } = layer;
  if (spec.className === 'Masking') return realValues(g, x, Math.fround(spec.config.maskValue));
  return realIds(g, x);
}
