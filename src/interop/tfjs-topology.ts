import { ValueError } from '../errors.js';
import { isRecurrentSpec, type LayerSpec, type RecurrentSpec } from '../model/layer-specs.js';
import type { PlannedLayer, StackPlan } from '../model/stack.js';

/*
 * A planned Sequential as a tfjs layers-model topology (`{ class_name: 'Sequential', config: {
 * name, layers } }`, snake_case configs as tfjs' `model.save` writes them), with the names tfjs
 * gives the weights when it rebuilds the model (`lstm/kernel`, `bidirectional/forward_lstm/kernel`).
 * Initialisers are left out (tfjs uses its defaults; the weights replace them). What tfjs cannot
 * compute is refused: the reset-after GRU, Keras 3's hard sigmoid, and zeroOutputForMask where it
 * shows in the model's output (see zeroOutputVisible).
 */

const SNAKE: Record<RecurrentSpec['className'], string> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };

/** The layer name tfjs gives a bidirectional layer's wrapped layer (its weights are scoped under `forward_<name>`). */
function innerName(spec: RecurrentSpec): string {
  return spec.config.name ?? SNAKE[spec.className];
}

/**
 * Whether a recurrent layer's zeroOutputForMask changes what the model returns in tfjs, which has
 * no such option (its masked steps carry the state). In tfjs only an Embedding with maskZero or a
 * Masking layer masks steps (there is no mask input). A later recurrent layer skips masked steps,
 * so the zeros never reach it; only the last recurrent layer's per-step output shows them.
 */
function zeroOutputVisible(plan: StackPlan, index: number): boolean {
  const masks = (spec: LayerSpec) => spec.className === 'Masking' || (spec.className === 'Embedding' && spec.config.maskZero);
  const recurrent = (spec: LayerSpec) => isRecurrentSpec(spec) || spec.className === 'Bidirectional';
  return plan.layers.slice(0, index).some((layer) => masks(layer.spec)) && !plan.layers.slice(index + 1).some((layer) => recurrent(layer.spec));
}

function recurrentConfig(where: string, label: string, spec: RecurrentSpec, name: string, zerosVisible: boolean): Record<string, unknown> {
  const c = spec.config;
  if (c.zeroOutputForMask === true && c.returnSequences && zerosVisible) {
    throw new ValueError(
      `${where}: ${label} has zeroOutputForMask: true (zeros at masked steps), which tfjs cannot compute: tfjs outputs the carried state there, ` +
      'and here the masked steps reach the model\'s output; rebuild the layer with zeroOutputForMask: false to export',
    );
  }
  const config: Record<string, unknown> = {
    name, trainable: true, units: c.units, activation: c.activation, use_bias: c.useBias, return_sequences: c.returnSequences,
    return_state: false, go_backwards: c.goBackwards === true, stateful: false, unroll: false, dropout: c.dropout, recurrent_dropout: 0,
  };
  if (spec.className === 'SimpleRNN') return config;
  if (c.recurrentActivation === 'hardSigmoidKeras3') {
    throw new ValueError(`${where}: ${label} has recurrentActivation 'hardSigmoidKeras3' (relu6(x + 3) / 6), which tfjs cannot compute: tfjs' hard_sigmoid is clip(0.2x + 0.5, 0, 1); supported: 'sigmoid', 'hardSigmoid'`);
  }
  config.recurrent_activation = c.recurrentActivation === 'hardSigmoid' ? 'hard_sigmoid' : 'sigmoid';
  if (spec.className === 'LSTM') config.unit_forget_bias = c.unitForgetBias ?? false;
  if (spec.className === 'GRU') {
    if (c.resetAfter !== false) {
      throw new ValueError(`${where}: ${label} is a GRU with resetAfter: true, which tfjs cannot express (tfjs GRUs are the reset-before form); only GRUs with resetAfter: false export to tfjs`);
    }
    config.reset_after = false;
  }
  return config;
}

function layerConfig(where: string, plan: StackPlan, layer: PlannedLayer): Record<string, unknown> {
  const { spec, name } = layer;
  const label = `layer ${layer.index} '${name}' (${spec.className})`;
  const visible = zeroOutputVisible(plan, layer.index);
  switch (spec.className) {
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrentConfig(where, label, spec, name, visible);
    case 'Bidirectional': {
      const inner = spec.config.layer;
      return { name, trainable: true, merge_mode: spec.config.mergeMode, layer: { class_name: inner.className, config: recurrentConfig(where, label, inner, innerName(inner), visible) } };
    }
    case 'Dense':
      return { name, trainable: true, units: spec.config.units, activation: spec.config.activation, use_bias: spec.config.useBias };
    case 'Embedding':
      return { name, trainable: true, input_dim: spec.config.inputDim, output_dim: spec.config.outputDim, mask_zero: spec.config.maskZero };
    case 'Dropout':
      return { name, trainable: true, rate: spec.config.rate };
    case 'Masking':
      return { name, trainable: true, mask_value: spec.config.maskValue };
  }
}

/** The tfjs modelTopology of a planned stack. */
export function tfjsTopology(where: string, name: string, plan: StackPlan): Record<string, unknown> {
  const layers = plan.layers.map((layer) => {
    const config = layerConfig(where, plan, layer);
    if (layer.index === 0) {
      const input = plan.input;
      config.batch_input_shape = input.ids ? [null, input.steps] : input.sequence ? [null, input.steps, input.features] : [null, input.features];
      if (input.ids && input.steps !== null) config.input_length = input.steps;
    }
    return { class_name: layer.spec.className, config };
  });
  return { class_name: 'Sequential', config: { name, layers }, keras_version: 'tfjs-layers (written by wasm-rnn)', backend: 'tensor_flow.js' };
}

/** The names tfjs gives the layer's weights, in Keras' order. */
export function tfjsWeightNames(layer: PlannedLayer, kerasNames: readonly string[]): string[] {
  const spec: LayerSpec = layer.spec;
  if (spec.className !== 'Bidirectional') return kerasNames.map((array) => `${layer.name}/${array}`);
  const half = kerasNames.length / 2;
  const inner = innerName(spec.config.layer);
  return kerasNames.map((array, i) => `${layer.name}/${i < half ? 'forward' : 'backward'}_${inner}/${array}`);
}
