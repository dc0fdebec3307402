import { ModelFileError } from '../io/model-file-error.js';
import { attribute, child, groupAt, isGroup, keysOf, readFloat32, type H5Dataset, type H5Group } from './keras-h5.js';
import type { KerasLayer } from './keras-topology.js';
import type { KerasArray, KerasLayerWeights } from './keras-weights.js';

/*
 * The weight arrays of a Keras model's layers, in model order and Keras' own order within a layer,
 * read from the two HDF5 layouts Keras writes. Shapes are checked against the config later, by
 * modelFromKeras; here each dataset must be floating point and no larger than the file.
 *
 * .keras archive (model.weights.h5): `layers/<class in snake_case>[_N]/…/vars/<i>`, N counting
 * that class among the model's layers in order (not the names in config.json); the layer's own
 * `vars` group carries its config name in a `name` attribute, checked against the config.
 *   Dense, Embedding: vars/0.. ; SimpleRNN, LSTM, GRU: cell/vars/0..;
 *   Bidirectional: forward_layer/cell/vars/0.., then backward_layer/cell/vars/0..;
 *   TimeDistributed: layer/vars/0.. (the wrapped layer's).
 * Legacy .h5: `model_weights/<layer name>` with a `weight_names` attribute listing the layer's
 * datasets (paths relative to that group) in Keras' order.
 */

const RECURRENT = ['SimpleRNN', 'LSTM', 'GRU'];
const RECURRENT_NAMES = ['kernel', 'recurrent_kernel', 'bias'];

/** Where a layer class keeps its variables inside its archive group, and their Keras names. */
function varGroups(className: string): { path: string; names: readonly string[] }[] {
  if (RECURRENT.includes(className)) return [{ path: 'cell/vars', names: RECURRENT_NAMES }];
  if (className === 'Bidirectional') {
    return [{ path: 'forward_layer/cell/vars', names: RECURRENT_NAMES }, { path: 'backward_layer/cell/vars', names: RECURRENT_NAMES }];
  }
  if (className === 'TimeDistributed') return [{ path: 'layer/vars', names: ['kernel', 'bias'] }];
  if (className === 'Embedding') return [{ path: 'vars', names: ['embeddings'] }];
  return [{ path: 'vars', names: ['kernel', 'bias'] }];
}

/** Keras' `naming.to_snake_case`: 'SimpleRNN' → 'simple_rnn', 'TimeDistributed' → 'time_distributed'. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The archive group of each layer: `layers/lstm`, `layers/lstm_1`, … counted per class in model order. */
export function archiveGroupNames(layers: readonly KerasLayer[]): string[] {
  const seen = new Map<string, number>();
  return layers.map((layer) => {
    const base = snakeCase(layer.className);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

export function archiveWeights(where: string, root: H5Group, layers: readonly KerasLayer[], fileBytes: number): KerasLayerWeights[] {
  const groups = archiveGroupNames(layers);
  const layersGroup = groupAt(where, root, 'layers', 'model.weights.h5');
  const present = new Set(keysOf(where, layersGroup, 'layers'));
  const stray = [...present].filter((group) => !groups.includes(group));
  if (stray.length > 0) throw new ModelFileError(`${where}: model.weights.h5 holds groups for layers the config does not have: ${stray.map((g) => `layers/${g}`).join(', ')}`);
  const out: KerasLayerWeights[] = [];
  layers.forEach((layer, i) => {
    const path = `layers/${groups[i]}`;
    if (!present.has(groups[i]!)) {
      if (layer.className === 'InputLayer') return; // Sequential models save no group for it
      throw new ModelFileError(`${where}: model.weights.h5 has no group ${path} for layer '${layer.name}' (${layer.className}); it has ${[...present].map((g) => `layers/${g}`).join(', ')}`);
    }
    const group = groupAt(where, layersGroup, groups[i]!, 'model.weights.h5');
    const owner = ownerName(where, group, path);
    if (owner !== undefined && owner !== layer.name) {
      throw new ModelFileError(`${where}: model.weights.h5 group ${path} holds the weights of layer '${owner}', but the config's layer ${i} of class ${layer.className} is '${layer.name}'`);
    }
    const arrays = varGroups(layer.className).flatMap(({ path: sub, names }) => varsAt(where, group, `${path}/${sub}`, sub, names, fileBytes));
    if (arrays.length > 0) out.push({ layerClass: layer.className, layerName: layer.name, arrays });
  });
  return out;
}

/** The `name` attribute Keras writes on a layer's own `vars` group. */
function ownerName(where: string, group: H5Group, path: string): string | undefined {
  const vars = child(where, group, 'vars');
  if (vars === undefined) return undefined;
  const name = attribute(where, vars, 'name', `${path}/vars`);
  return typeof name === 'string' ? name : undefined;
}

/** Datasets vars/0, vars/1, … in index order; the indices must run from 0 without gaps. */
function varsAt(where: string, layerGroup: H5Group, fullPath: string, sub: string, names: readonly string[], fileBytes: number): KerasArray[] {
  const vars = child(where, layerGroup, sub);
  if (vars === undefined) return [];
  if (!isGroup(vars)) throw new ModelFileError(`${where}: ${fullPath} is a dataset, expected a group of variables`);
  const keys = keysOf(where, vars, fullPath);
  const indices = keys.map((key) => (/^(0|[1-9]\d{0,5})$/.test(key) ? Number(key) : -1)).sort((a, b) => a - b);
  if (indices.some((index, i) => index !== i)) {
    throw new ModelFileError(`${where}: ${fullPath} should hold variables named 0, 1, 2, …, got ${keys.join(', ')}`);
  }
  return indices.map((index) => {
    const label = `${fullPath}/${index}`;
    const node = child(where, vars, String(index)) as H5Dataset | H5Group;
    return { name: names[index] ?? `vars/${index}`, ...floatDataset(where, label, node, fileBytes) };
  });
}

/** A dataset of any floating dtype read as float32, with the shape it declares. */
function floatDataset(where: string, label: string, node: H5Dataset | H5Group | undefined, fileBytes: number): { shape: number[]; data: Float32Array } {
  if (node === undefined) throw new ModelFileError(`${where}: ${label} is missing`);
  const shape = isGroup(node) ? [] : declaredShape(where, label, node);
  return { shape, data: readFloat32(where, label, node, shape, fileBytes) };
}

function declaredShape(where: string, label: string, node: H5Dataset): number[] {
  let shape: unknown;
  try {
    shape = node.shape;
  } catch (cause) {
    throw new ModelFileError(`${where}: cannot read the shape of ${label}: ${String(cause)}`, { cause });
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new ModelFileError(`${where}: ${label} declares the shape ${JSON.stringify(shape)}, which is not a list of sizes`);
  }
  return shape as number[];
}

export function legacyWeights(where: string, root: H5Group, layers: readonly KerasLayer[], fileBytes: number): KerasLayerWeights[] {
  const weightsGroup = groupAt(where, root, 'model_weights', 'the .h5 file');
  const saved = stringList(where, attribute(where, weightsGroup, 'layer_names', 'model_weights'), 'model_weights layer_names');
  const known = new Set(layers.map((layer) => layer.name));
  const stray = saved.filter((name) => !known.has(name));
  if (stray.length > 0) throw new ModelFileError(`${where}: model_weights holds layers the model config does not have: ${stray.join(', ')}`);
  const out: KerasLayerWeights[] = [];
  for (const layer of layers) {
    if (!saved.includes(layer.name)) continue;
    const path = `model_weights/${layer.name}`;
    const group = groupAt(where, root, path, 'the .h5 file');
    const names = stringList(where, attribute(where, group, 'weight_names', path), `${path} weight_names`);
    const arrays = names.map((name) => ({
      name: name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, ''),
      ...floatDataset(where, `${path}/${name}`, child(where, group, name), fileBytes),
    }));
    if (arrays.length > 0) out.push({ layerClass: layer.className, layerName: layer.name, arrays });
  }
  return out;
}

/** An attribute holding a list of strings (an empty list comes back from h5py as float64 []). */
function stringList(where: string, value: unknown, label: string): string[] {
  if (value === undefined) throw new ModelFileError(`${where}: the .h5 file has no ${label} attribute`);
  const items = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>) : [value];
  if (items.some((item) => typeof item !== 'string')) throw new ModelFileError(`${where}: ${label} should be a list of strings, got ${JSON.stringify(items).slice(0, 80)}`);
  return items as string[];
}
