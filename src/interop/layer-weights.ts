import type { LayerSpec, RecurrentSpec } from '../model/layer-specs.js';
import type { PlannedLayer } from '../model/stack.js';
import {
  denseFromKeras, denseToKeras, kerasDenseShapes, kerasRecurrentShapes, recurrentFromKeras, recurrentToKeras,
  type KerasArray, type RecurrentLayout,
} from './keras-weights.js';

/*
 * The Keras weight arrays of one planned layer of a Sequential (names, shapes, Keras' order) and
 * their conversion to and from the model's state-dict entries (`${index}.weight_ih_l0`, …).
 */

type Shape = { name: string; shape: number[] };

function layoutOf(spec: RecurrentSpec, inputSize: number): RecurrentLayout {
  const { units, useBias, resetAfter = true } = spec.config;
  return { className: spec.className, inputSize, units, useBias, resetAfter };
}

/** The recurrent spec of a plain or bidirectional recurrent layer, else null. */
function recurrentOf(spec: LayerSpec): RecurrentSpec | null {
  if (spec.className === 'Bidirectional') return spec.config.layer;
  return spec.className === 'SimpleRNN' || spec.className === 'LSTM' || spec.className === 'GRU' ? spec : null;
}

/** Dense (layers.timeDistributed(dense) is a Dense too): units and useBias. */
function denseOf(spec: LayerSpec): { units: number; useBias: boolean } | null {
  return spec.className === 'Dense' ? spec.config : null;
}

const DIRECTIONS = { single: [''], both: ['', '_reverse'] };

function directionsOf(spec: LayerSpec): string[] {
  return spec.className === 'Bidirectional' ? DIRECTIONS.both : DIRECTIONS.single;
}

/** Keras' arrays for this layer, in Keras' order (Bidirectional: forward's, then backward's). */
export function expectedKerasArrays(layer: PlannedLayer): Shape[] {
  const { spec, input } = layer;
  const recurrent = recurrentOf(spec);
  if (recurrent !== null) return directionsOf(spec).flatMap(() => kerasRecurrentShapes(layoutOf(recurrent, input.features)));
  const dense = denseOf(spec);
  if (dense !== null) return kerasDenseShapes(input.features, dense.units, dense.useBias);
  if (spec.className === 'Embedding') return [{ name: 'embeddings', shape: [spec.config.inputDim, spec.config.outputDim] }];
  return [];
}

/** Keras arrays (already checked against expectedKerasArrays) → state-dict entries with the layer's prefix. */
export function stateDictFromKeras(layer: PlannedLayer, arrays: readonly KerasArray[]): Record<string, Float32Array> {
  const { spec, input, prefix } = layer;
  const entries: Record<string, Float32Array> = {};
  const recurrent = recurrentOf(spec);
  if (recurrent !== null) {
    const layout = layoutOf(recurrent, input.features);
    const perDirection = kerasRecurrentShapes(layout).length;
    directionsOf(spec).forEach((suffix, d) => Object.assign(entries, recurrentFromKeras(layout, arrays.slice(d * perDirection, (d + 1) * perDirection), suffix)));
  } else if (denseOf(spec) !== null) {
    Object.assign(entries, denseFromKeras(input.features, denseOf(spec)!.units, arrays));
  } else if (spec.className === 'Embedding') {
    entries.weight = arrays[0]!.data;
  }
  return Object.fromEntries(Object.entries(entries).map(([name, data]) => [prefix + name, data]));
}

/** The layer's parameters (read through `value(stateDictName)`) as Keras arrays, in Keras' order. */
export function kerasArraysOf(layer: PlannedLayer, value: (name: string) => Float32Array): KerasArray[] {
  const { spec, input, prefix } = layer;
  const own = (name: string) => value(prefix + name);
  const recurrent = recurrentOf(spec);
  if (recurrent !== null) {
    const layout = layoutOf(recurrent, input.features);
    return directionsOf(spec).flatMap((suffix) => recurrentToKeras(layout, own, suffix));
  }
  const dense = denseOf(spec);
  if (dense !== null) return denseToKeras(input.features, dense.units, dense.useBias, own);
  if (spec.className === 'Embedding') return [{ name: 'embeddings', shape: [spec.config.inputDim, spec.config.outputDim], data: Float32Array.from(own('weight')) }];
  return [];
}
