import { OptionError, checkOptionNames, describe } from '../errors.js';
import type { PlannedLayer } from '../model/stack.js';
import { OnnxGraph } from './onnx-graph.js';
import { denseNodes, embeddingNodes, recurrentNodes, type ParameterReader } from './onnx-layers.js';
import { planMask, realStepsOf } from './onnx-mask-plan.js';
import { sortSteps, unsortSteps, type OnnxMask } from './onnx-mask.js';
import { DATA_TYPE, encodeModel, type DimMessage, type ValueInfoMessage } from './onnx-proto.js';
import type { ExportableModel } from './tfjs-export.js';

/*
 * A Sequential as an ONNX model: one graph input `input` (float32 [batch, time, features], or int64
 * ids [batch, time] for an embedding model, or float32 [batch, features]) and one output `output`
 * ([batch, time, units] or [batch, units]), batch and time symbolic. Recurrent layers become ONNX's
 * own RNN, LSTM and GRU operators; a mask (maskZero embedding, Masking) becomes sequence_lens (onnx-mask.ts).
 */

export interface OnnxExportOptions {
  /** ONNX opset (default 17). 14 is the first with the operator versions used here. */
  opset?: number;
}

const DEFAULT_OPSET = 17;
const OPSET_RANGE = { min: 14, max: 21 } as const;

/** The IR version each opset was released with (onnx/docs/Versioning.md), so older runtimes read the file. */
function irVersion(opset: number): number {
  return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

function readOpset(where: string, options: unknown): number {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  checkOptionNames(where, options, ['opset']);
  const opset = (options as OnnxExportOptions).opset ?? DEFAULT_OPSET;
  if (typeof opset !== 'number' || !Number.isInteger(opset) || opset < OPSET_RANGE.min || opset > OPSET_RANGE.max) {
    throw new OptionError(`${where}: opset must be an integer from ${OPSET_RANGE.min} to ${OPSET_RANGE.max}, got ${describe(opset)}`);
  }
  return opset;
}

function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): ValueInfoMessage {
  const dim: DimMessage[] = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function layerNodes(g: OnnxGraph, layer: PlannedLayer, x: string, mask: OnnxMask | null, value: ParameterReader): string {
  const { spec, input } = layer;
  const lengths = mask === null ? null : mask.lengths;
  switch (spec.className) {
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrentNodes(g, spec, null, x, input.features, lengths, value);
    case 'Bidirectional':
      return recurrentNodes(g, spec.config.layer, spec.config.mergeMode, x, input.features, lengths, value);
    case 'Dense':
      return denseNodes(g, spec, x, input.features, value);
    case 'Embedding':
      return embeddingNodes(g, spec, x, value);
    case 'Dropout':
    case 'Masking': // its mask is applied by the export loop (sortSteps); masked rows then lie past sequence_lens
      return x;
  }
}

/** The bytes of an ONNX ModelProto computing `model.predict`. */
export async function modelToOnnx(model: ExportableModel, options: OnnxExportOptions = {}, where = 'toOnnx'): Promise<Uint8Array> {
  const opset = readOpset(where, options);
  const { plan } = model;
  const maskPlan = planMask(where, plan);
  const values = model.stateDict();
  const g = new OnnxGraph();
  const input = plan.input;
  const inputInfo = input.ids
    ? valueInfo('input', DATA_TYPE.INT64, ['batch', 'time'])
    : valueInfo('input', DATA_TYPE.FLOAT, input.sequence ? ['batch', 'time', input.features] : ['batch', input.features]);
  let x = 'input';
  let mask: OnnxMask | null = null;
  if (input.ids) x = g.op1('Transpose', [x], { perm: [1, 0] });
  else if (input.sequence) x = g.op1('Transpose', [x], { perm: [1, 0, 2] });
  for (const layer of plan.layers) {
    const real = layer === maskPlan?.source ? realStepsOf(g, layer, x) : null;
    x = layerNodes(g, layer, x, mask, (name) => values[layer.prefix + name]!.data);
    if (real !== null) ({ mask, x } = sortSteps(g, real, x));
    if (mask !== null && layer.index === maskPlan!.unsortAfter) x = unsortSteps(g, mask, x);
  }
  const out = plan.output;
  g.op('Identity', [out.sequence ? g.op1('Transpose', [x], { perm: [1, 0, 2] }) : x], {}, ['output']);
  const outputInfo = valueInfo('output', DATA_TYPE.FLOAT, out.sequence ? ['batch', 'time', out.features] : ['batch', out.features]);
  return encodeModel(where, {
    irVersion: irVersion(opset),
    producerName: 'wasm-rnn',
    opsetImport: [{ domain: '', version: opset }],
    graph: { name: model.name, node: g.nodes, initializer: g.initializers, input: [inputInfo], output: [outputInfo] },
  });
}
