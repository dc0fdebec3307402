import { describe } from '../errors.js';
import { fail, field, list, record, text, type JsonRecord } from './keras-json.js';
import type { KerasFlavor } from './keras-layers.js';
import type { KerasChain } from './keras-topology.js';
import type { KerasLayerWeights } from './keras-weights.js';

/*
 * A tfjs layers-model `model.json`: `{ format: 'layers-model', modelTopology, weightsManifest:
 * [{ paths: [shard files], weights: [{ name, shape, dtype }] }] }`. The weight data of all groups
 * is the concatenation of their shards in manifest order, each weight's bytes following the
 * previous one's. Everything is checked before any weight array is made.
 */

export interface WeightEntry {
  name: string;
  shape: number[];
  /** Byte offset in the concatenated weight data. */
  offset: number;
  bytes: number;
}

export interface TfjsManifest {
  topology: JsonRecord;
  /** Shard paths in manifest order (relative to model.json). */
  paths: string[];
  entries: WeightEntry[];
  /** Total bytes of weight data the manifest describes. */
  totalBytes: number;
  flavor: KerasFlavor;
}

/** A weight larger than this (elements) is refused before allocation: it is no recurrent model's. */
const MAX_ELEMENTS = 2 ** 28;

export function readManifest(where: string, modelJson: unknown): TfjsManifest {
  const json = record(where, 'model.json', modelJson);
  const format = field(json, 'format');
  if (format !== undefined && format !== 'layers-model') {
    fail(where, `model.json has format ${describe(format)}; only tfjs layers models ('layers-model') are supported (a graph model has no layer configuration to rebuild)`);
  }
  const topology = record(where, 'model.json modelTopology', field(json, 'modelTopology'));
  const groups = list(where, 'model.json weightsManifest', field(json, 'weightsManifest'));
  const paths: string[] = [];
  const entries: WeightEntry[] = [];
  const names = new Set<string>();
  let offset = 0;
  groups.forEach((value, g) => {
    const group = record(where, `weightsManifest[${g}]`, value);
    for (const [p, path] of list(where, `weightsManifest[${g}].paths`, field(group, 'paths')).entries()) paths.push(text(where, `weightsManifest[${g}].paths[${p}]`, path));
    list(where, `weightsManifest[${g}].weights`, field(group, 'weights')).forEach((spec, w) => {
      const entry = weightEntry(where, `weightsManifest[${g}].weights[${w}]`, spec, offset);
      if (names.has(entry.name)) fail(where, `the weight name '${entry.name}' appears twice in weightsManifest`);
      names.add(entry.name);
      entries.push(entry);
      offset += entry.bytes;
    });
  });
  return { topology, paths, entries, totalBytes: offset, flavor: flavorOf(topology) };
}

function weightEntry(where: string, path: string, value: unknown, offset: number): WeightEntry {
  const spec = record(where, path, value);
  const name = text(where, `${path}.name`, field(spec, 'name'));
  const at = `${path} ('${name}')`;
  const dtype = field(spec, 'dtype') ?? 'float32';
  if (dtype !== 'float32') fail(where, `${at} has dtype ${describe(dtype)}; only float32 weights are supported`);
  if (field(spec, 'quantization') !== undefined) fail(where, `${at} is quantized; only unquantized float32 weights are supported`);
  const shape = list(where, `${at}.shape`, field(spec, 'shape'));
  let elements = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) fail(where, `${at}.shape must hold integers ≥ 0, got ${describe(shape)}`);
    elements *= d;
    if (elements > MAX_ELEMENTS) fail(where, `${at}.shape ${describe(shape)} holds more than ${MAX_ELEMENTS} values`);
  }
  return { name, shape: shape as number[], offset, bytes: elements * 4 };
}

/** A topology written by Keras 3 / Keras 2 (the tfjs converter keeps keras_version) or by tfjs itself. */
function flavorOf(topology: JsonRecord): KerasFlavor {
  const version = field(topology, 'keras_version');
  if (typeof version === 'string' && version.startsWith('3.')) return 'keras3';
  if (typeof version === 'string' && version.startsWith('2.')) return 'keras2';
  return 'tfjs';
}

/** Keras' order of a layer's arrays, from the last part of a weight name (kernel_1: a name tfjs made unique). */
const ARRAY_RANK: Record<string, number> = { kernel: 0, embeddings: 0, recurrent_kernel: 1, bias: 2 };

/**
 * The manifest's weights grouped per layer of the chain (a weight `lstm_1/kernel` or
 * `bidirectional/forward_lstm/kernel` belongs to layer `lstm_1` / `bidirectional`), in model order,
 * each layer's arrays in Keras' order. `data` is the concatenated weight data (length checked).
 */
export function layerWeights(where: string, manifest: TfjsManifest, chain: KerasChain, data: Uint8Array): KerasLayerWeights[] {
  if (data.byteLength !== manifest.totalBytes) {
    fail(where, `the weight data holds ${data.byteLength} bytes, but weightsManifest describes ${manifest.totalBytes} (${manifest.entries.length} float32 weights)`);
  }
  const byLayer = new Map<string, { entry: WeightEntry; rank: number }[]>();
  for (const entry of manifest.entries) {
    const parts = entry.name.split('/');
    const layer = chain.layers.find((l) => l.name === parts[0]);
    if (layer === undefined || parts.length < 2) {
      fail(where, `weight '${entry.name}' does not belong to any layer of modelTopology (layers: ${chain.layers.map((l) => `'${l.name}'`).join(', ')})`);
    }
    const last = parts[parts.length - 1]!.replace(/_\d+$/, '');
    const rank = ARRAY_RANK[last];
    if (rank === undefined || !Object.hasOwn(ARRAY_RANK, last)) fail(where, `weight '${entry.name}' is not a kernel, recurrent_kernel, bias or embeddings array`);
    const backward = parts.slice(1, -1).some((part) => part.startsWith('backward_'));
    const list = byLayer.get(layer.name) ?? [];
    list.push({ entry, rank: (backward ? 10 : 0) + rank });
    byLayer.set(layer.name, list);
  }
  return chain.layers.filter((layer) => byLayer.has(layer.name)).map((layer) => ({
    layerClass: layer.className,
    layerName: layer.name,
    arrays: byLayer.get(layer.name)!
      .sort((a, b) => a.rank - b.rank)
      .map(({ entry }) => ({ name: entry.name, shape: entry.shape, data: new Float32Array(data.slice(entry.offset, entry.offset + entry.bytes).buffer) })),
  }));
}
