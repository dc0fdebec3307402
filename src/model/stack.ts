import { OptionError, ShapeError, ValueError, describe } from '../errors.js';
import { parametersWithinHeap } from '../memory/limits.js';
import { denseParameterSpecs } from '../layers/dense.js';
import { embeddingParameterSpecs } from '../layers/embedding.js';
import type { ParameterSpec } from '../layers/parameters.js';
import { recurrentParameterSpecs } from '../layers/recurrent.js';
import { layerFromSpec, shapeList, type InputShape, type LayerSpec, type RecurrentSpec } from './layer-specs.js';

/*
 * Shape inference for a Sequential stack: what each layer receives and returns, with errors that
 * name the layer index and what was expected, and each layer's parameter table. Shapes exclude
 * the batch axis, as Keras' inputShape does.
 */

/** What flows between layers: a sequence [T, F] (T null = any length) or one vector [F] per sample. */
export interface Flow {
  readonly sequence: boolean;
  readonly steps: number | null;
  readonly features: number;
}

/** One layer of a planned stack. */
export interface PlannedLayer {
  readonly index: number;
  /** Unique name: the spec's, or the class in snake case numbered as Keras does (lstm, lstm_1, …). */
  readonly name: string;
  readonly spec: LayerSpec;
  readonly input: Flow;
  readonly output: Flow;
  /** Prefix of its parameters in the model's ParameterSet: `${index}.` (PyTorch nn.Sequential naming). */
  readonly prefix: string;
  /** Its parameter table, names without the prefix. */
  readonly parameters: readonly ParameterSpec[];
}

export interface StackPlan {
  /** The model's input: features (sequences or vectors) or integer ids (first layer Embedding). */
  readonly input: Flow & { readonly ids: boolean };
  readonly layers: readonly PlannedLayer[];
  readonly output: Flow;
}

const SNAKE: Record<LayerSpec['className'], string> = {
  SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru', Bidirectional: 'bidirectional', Dense: 'dense', Embedding: 'embedding', Dropout: 'dropout',
  Masking: 'masking',
};

export function flowText(flow: Flow): string {
  return flow.sequence ? `[batch, ${flow.steps ?? 'null'}, ${flow.features}]` : `[batch, ${flow.features}]`;
}

/** Checks that the specs fit together and infers every layer's input and output. */
export function planStack(where: string, values: unknown): StackPlan {
  if (!Array.isArray(values) || values.length === 0) throw new ValueError(`${where}: layers must be a non-empty array of layers.* specs, got ${describe(values)}`);
  const specs = values.map((value, i) => layerFromSpec(`${where}: layers[${i}]`, value));
  const names = layerNames(where, specs);
  const input = modelInput(where, specs[0]!, names[0]!);
  const planned: PlannedLayer[] = [];
  let flow: Flow = input;
  /** Index of the recurrent layer that turned sequences into vectors, for hints. */
  let collapsedBy = -1;
  specs.forEach((spec, index) => {
    const label = `layer ${index} (${names[index]})`;
    if (index > 0) checkDeclaredInput(where, spec, label, flow);
    const output = outputFlow(where, spec, label, flow, index, planned, collapsedBy);
    if (flow.sequence && !output.sequence) collapsedBy = index;
    planned.push({ index, name: names[index]!, spec, input: flow, output, prefix: `${index}.`, parameters: parametersWithinHeap(where, label, parameterTable(spec, flow)) });
    flow = output;
  });
  return { input, layers: planned, output: flow };
}

function layerNames(where: string, specs: readonly LayerSpec[]): string[] {
  const counts = new Map<string, number>();
  const names = specs.map((spec) => {
    if (spec.config.name !== undefined) return spec.config.name;
    const base = SNAKE[spec.className];
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first !== i) throw new ValueError(`${where}: layers ${first} and ${i} are both named '${name}'; layer names must be unique`);
  });
  return names;
}

function modelInput(where: string, spec: LayerSpec, name: string): Flow & { ids: boolean } {
  const label = `layer 0 (${name})`;
  const shape = declaredInputShape(spec);
  if (spec.className === 'Embedding') return { sequence: true, steps: shape?.[0] ?? null, features: 1, ids: true };
  if (shape === undefined) {
    const expected = spec.className === 'Dense' || spec.className === 'Dropout' ? '[timeSteps | null, features] or [features]' : '[timeSteps | null, features]';
    throw new ShapeError(`${where}: ${label} is the first layer and needs inputShape: ${expected}, e.g. inputShape: [null, 8] for sequences of 8 features`);
  }
  if (shape.length === 1) {
    if (spec.className !== 'Dense' && spec.className !== 'Dropout') {
      throw new ShapeError(`${where}: ${label} reads sequences, so inputShape must be [timeSteps | null, features], got ${shapeList(shape)}`);
    }
    return { sequence: false, steps: null, features: shape[0]!, ids: false };
  }
  return { sequence: true, steps: shape[0]!, features: shape[1]!, ids: false };
}

/** An inputShape on a later layer must agree with what the previous layer outputs (Keras ignores it; we check it). */
function checkDeclaredInput(where: string, spec: LayerSpec, label: string, flow: Flow): void {
  const shape = declaredInputShape(spec);
  if (shape === undefined) return;
  const declared: Flow = shape.length === 1 ? { sequence: false, steps: null, features: shape[0]! } : { sequence: true, steps: shape[0]!, features: shape[1]! };
  const stepsAgree = declared.steps === null || flow.steps === null || declared.steps === flow.steps;
  if (declared.sequence !== flow.sequence || declared.features !== flow.features || !stepsAgree) {
    throw new ShapeError(`${where}: ${label} declares inputShape ${shapeList(shape)}, but the layer before it outputs ${flowText(flow)}`);
  }
}

/** inputShape of the layer (of a bidirectional wrapper, or else of its inner layer). */
function declaredInputShape(spec: LayerSpec): InputShape | undefined {
  return spec.config.inputShape ?? (spec.className === 'Bidirectional' ? spec.config.layer.config.inputShape : undefined);
}

function outputFlow(where: string, spec: LayerSpec, label: string, flow: Flow, index: number, planned: readonly PlannedLayer[], collapsedBy: number): Flow {
  switch (spec.className) {
    case 'Embedding':
      if (index > 0) throw new ShapeError(`${where}: ${label} is an embedding, which reads integer ids, so it must be the first layer (layer 0), not layer ${index}`);
      return { sequence: true, steps: flow.steps, features: spec.config.outputDim };
    case 'Dense':
      return { ...flow, features: spec.config.units };
    case 'Dropout':
      return flow;
    case 'Masking':
      requireSequence(where, label, 'masks time steps', flow, planned, collapsedBy);
      return flow;
    case 'Bidirectional':
      return recurrentOutput(where, spec.config.layer, label, flow, planned, collapsedBy, spec.config.mergeMode === 'concat' ? 2 : 1);
    default:
      return recurrentOutput(where, spec, label, flow, planned, collapsedBy, 1);
  }
}

/** `what`: what the layer does that needs sequences, for the error. */
function requireSequence(where: string, label: string, what: string, flow: Flow, planned: readonly PlannedLayer[], collapsedBy: number): void {
  if (flow.sequence) return;
  const previous = planned[planned.length - 1];
  const cause = collapsedBy >= 0
    ? `; layer ${collapsedBy} (${planned[collapsedBy]!.name}) returns only its last step: set returnSequences: true on it`
    : '';
  const source = previous === undefined ? 'its inputShape gives' : `layer ${previous.index} (${previous.name}) outputs`;
  throw new ShapeError(`${where}: ${label} ${what} and expects sequences [batch, timeSteps, features], but ${source} ${flowText(flow)}${cause}`);
}

/** `widths`: output features per unit (2 for a concatenated bidirectional layer). */
function recurrentOutput(
  where: string, spec: RecurrentSpec, label: string, flow: Flow, planned: readonly PlannedLayer[], collapsedBy: number, widths: number,
): Flow {
  requireSequence(where, label, 'is recurrent', flow, planned, collapsedBy);
  if (spec.config.returnState) {
    throw new OptionError(`${where}: ${label} has returnState: true, but a sequential model passes one tensor from layer to layer; remove returnState (final states are for encoder–decoder and streaming models)`);
  }
  const features = widths * spec.config.units;
  return spec.config.returnSequences ? { sequence: true, steps: flow.steps, features } : { sequence: false, steps: null, features };
}

function parameterTable(spec: LayerSpec, flow: Flow): ParameterSpec[] {
  switch (spec.className) {
    case 'Embedding':
      return embeddingParameterSpecs({ inputDim: spec.config.inputDim, outputDim: spec.config.outputDim });
    case 'Dense':
      return denseParameterSpecs({ inputSize: flow.features, units: spec.config.units, activation: spec.config.activation, bias: spec.config.useBias });
    case 'Dropout':
    case 'Masking':
      return [];
    case 'Bidirectional':
      return recurrentTable(spec.config.layer, flow, true);
    default:
      return recurrentTable(spec, flow, false);
  }
}

/** A recurrent layer with goBackwards: it reads each sequence from its end (no streaming, no truncated BPTT). */
export function readsBackwards(layer: PlannedLayer): boolean {
  return layer.spec.className !== 'Bidirectional' && 'goBackwards' in layer.spec.config && layer.spec.config.goBackwards === true;
}

/** Gate blocks of each recurrent class (PyTorch's layout). */
export const GATES: Record<RecurrentSpec['className'], number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

function recurrentTable(spec: RecurrentSpec, flow: Flow, bidirectional: boolean): ParameterSpec[] {
  return recurrentParameterSpecs(GATES[spec.className], {
    inputSize: flow.features, hiddenSize: spec.config.units, numLayers: 1, bidirectional, bias: spec.config.useBias,
  });
}
