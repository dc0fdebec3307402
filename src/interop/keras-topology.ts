import { describe } from '../errors.js';
import { fail, field, isRecord, list, record, text, type JsonRecord } from './keras-json.js';

/*
 * A Keras / tfjs model topology as one chain of layers, in order. Accepted nestings:
 * - tfjs `modelTopology` and Keras 2 `model_config`: `{ class_name, config }`, possibly wrapped as
 *   `{ model_config: { class_name, config }, keras_version, … }` (the tfjs converter's output);
 * - Keras 3 `config.json`: the same plus `module`, `registered_name`, `build_config` on the model
 *   and on every layer;
 * - Sequential: `config.layers` (or, in early Keras 2, `config` itself the layer list);
 * - Functional (`Functional`, `Model`): `config.layers` with `inbound_nodes`, `input_layers`,
 *   `output_layers`; accepted when the layers form one chain from one input to one output.
 *   Keras 2 / tfjs nodes are `[[name, nodeIndex, tensorIndex, kwargs], …]`; Keras 3 nodes are
 *   `{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [name, …] } }], kwargs }`.
 */

/** One layer of the chain, InputLayer included. */
export interface KerasLayer {
  className: string;
  name: string;
  config: JsonRecord;
  /** Keras 3's `build_config.input_shape` (with the batch axis), or undefined. */
  buildInputShape: unknown;
}

export interface KerasChain {
  /** The model's name, when the topology has one. */
  name: string | undefined;
  layers: KerasLayer[];
  /** Keras 3 Sequential's `build_input_shape`, or undefined. */
  buildInputShape: unknown;
}

const SEQUENTIAL = ['Sequential'];
const FUNCTIONAL = ['Functional', 'Model'];

export function kerasChain(where: string, topology: unknown): KerasChain {
  let model = record(where, 'the topology', topology);
  if (field(model, 'class_name') === undefined && isRecord(field(model, 'model_config'))) model = field(model, 'model_config') as JsonRecord;
  const className = text(where, 'the topology\'s class_name', field(model, 'class_name'));
  const config = field(model, 'config');
  if (SEQUENTIAL.includes(className)) return sequentialChain(where, config);
  if (FUNCTIONAL.includes(className)) return functionalChain(where, record(where, 'the topology\'s config', config));
  return fail(where, `the model class '${className}' is not supported; supported: ${[...SEQUENTIAL, ...FUNCTIONAL].join(', ')} (a chain of layers)`);
}

function sequentialChain(where: string, config: unknown): KerasChain {
  const entries = Array.isArray(config) ? config : list(where, 'the Sequential config\'s layers', field(record(where, 'the Sequential config', config), 'layers'));
  const layers = entries.map((entry, i) => layerOf(where, `layers[${i}]`, entry));
  const named = isRecord(config) ? config : {};
  return { name: optionalName(field(named, 'name')), layers, buildInputShape: field(named, 'build_input_shape') };
}

function layerOf(where: string, path: string, entry: unknown): KerasLayer {
  const value = record(where, path, entry);
  const className = text(where, `${path}.class_name`, field(value, 'class_name'));
  const config = record(where, `${path}.config (${className})`, field(value, 'config'));
  const name = field(config, 'name') ?? field(value, 'name');
  const build = field(value, 'build_config');
  const buildInputShape = isRecord(build) ? field(build, 'input_shape') : undefined;
  return { className, name: text(where, `${path}.config.name (${className})`, name), config, buildInputShape };
}

function optionalName(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function functionalChain(where: string, config: JsonRecord): KerasChain {
  const entries = list(where, 'the Functional config\'s layers', field(config, 'layers'));
  const layers = entries.map((entry, i) => layerOf(where, `layers[${i}]`, entry));
  const byName = new Map<string, { layer: KerasLayer; source: string | null }>();
  entries.forEach((entry, i) => {
    const layer = layers[i]!;
    if (byName.has(layer.name)) fail(where, `two layers are named '${layer.name}'`);
    byName.set(layer.name, { layer, source: inboundSource(where, layer, field(entry as JsonRecord, 'inbound_nodes')) });
  });
  const input = endpoint(where, 'input_layers', field(config, 'input_layers'));
  const output = endpoint(where, 'output_layers', field(config, 'output_layers'));
  // Walk from the output back to the input; every layer must be on that one path.
  const chain: KerasLayer[] = [];
  for (let name: string | null = output; name !== null;) {
    const node = byName.get(name);
    if (node === undefined) fail(where, `layer '${name}' is referenced but not defined`);
    if (chain.includes(node.layer)) fail(where, `the layers form a cycle at '${name}'`);
    chain.unshift(node.layer);
    if (node.source === null && name !== input) fail(where, `layer '${name}' has no input but is not the model input '${input}'`);
    name = node.source;
  }
  if (chain[0]!.name !== input) fail(where, `the output does not lead back to the model input '${input}'`);
  const outside = layers.filter((layer) => !chain.includes(layer)).map((layer) => `'${layer.name}'`);
  if (outside.length > 0) {
    fail(where, `only Functional models whose layers form one chain are supported, but ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not on the path from '${input}' to '${output}'`);
  }
  return { name: optionalName(field(config, 'name')), layers: chain, buildInputShape: undefined };
}

/** The name of the one layer feeding `layer`, or null for an input layer. */
function inboundSource(where: string, layer: KerasLayer, nodes: unknown): string | null {
  const path = `layer '${layer.name}' (${layer.className}) inbound_nodes`;
  if (nodes === undefined) return null;
  const all = list(where, path, nodes);
  if (all.length === 0) return null;
  if (all.length > 1) fail(where, `${path}: the layer is called ${all.length} times (shared layers are not supported; one chain of layers is)`);
  const node = all[0];
  const inputs = Array.isArray(node) ? node : list(where, `${path}[0].args`, field(record(where, `${path}[0]`, node), 'args'));
  if (inputs.length !== 1) fail(where, `${path}: the layer has ${inputs.length} inputs (only one chain of single-input layers is supported)`);
  const first = inputs[0];
  // Keras 2 / tfjs: [name, nodeIndex, tensorIndex, kwargs]; Keras 3: a __keras_tensor__ with keras_history.
  if (Array.isArray(first)) return text(where, `${path}[0][0][0]`, first[0]);
  const history = field(record(where, `${path}[0].args[0]`, field(record(where, `${path}[0].args[0]`, first), 'config')), 'keras_history');
  return text(where, `${path}[0].args[0].config.keras_history[0]`, list(where, `${path}[0].args[0].config.keras_history`, history)[0]);
}

/** input_layers / output_layers: `[[name, 0, 0]]` or Keras 3's single `[name, 0, 0]`. */
function endpoint(where: string, key: string, value: unknown): string {
  const items = list(where, key, value);
  if (typeof items[0] === 'string') return items[0];
  if (items.length !== 1) fail(where, `${key} has ${items.length} entries; one input and one output are supported`);
  const first = list(where, `${key}[0]`, items[0]);
  if (typeof first[0] !== 'string') fail(where, `${key}[0][0] must be a layer name, got ${describe(first[0])}`);
  return first[0];
}
