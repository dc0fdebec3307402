/**
 * The few ONNX protobuf messages a recurrent graph needs, declared with protobufjs's reflection
 * API (field numbers from onnx/onnx.proto), and the encoder of a ModelProto.
 */
import protobuf from 'protobufjs';

const FLOAT = 1; // TensorProto.DataType.FLOAT
const INT64 = 7; // TensorProto.DataType.INT64

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            i: { type: 'int64', id: 3 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 } } },
      },
    },
  },
});
const ModelProto = root.lookupType('onnx.ModelProto');

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes (hidden_size, linear_before_reset, axis …). */
  ints?: Record<string, number>;
  /** String-list attributes (activations). */
  strings?: Record<string, string[]>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** f32 values, or int64 values given as numbers. */
  values: Float32Array | { int64: number[] };
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: { name: string; dims: number[] }[];
  outputs: { name: string; dims: number[] }[];
}

const ATTRIBUTE_INT = 2;
const ATTRIBUTE_STRINGS = 8;
/** Opset 17: Squeeze takes its axes as an input (opset ≥ 13); LSTM/GRU/RNN are opset 14's. */
const OPSET = 17;
const IR_VERSION = 8;

function valueInfo(value: { name: string; dims: number[] }) {
  return { name: value.name, type: { tensorType: { elemType: FLOAT, shape: { dim: value.dims.map((d) => ({ dimValue: d })) } } } };
}

function tensor(init: OnnxInitializer) {
  const { values } = init;
  if (values instanceof Float32Array) {
    return { name: init.name, dims: init.dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
  }
  return { name: init.name, dims: init.dims, dataType: INT64, int64Data: values.int64 };
}

function node(n: OnnxNode, index: number) {
  const attribute = [
    ...Object.entries(n.ints ?? {}).map(([name, i]) => ({ name, i, type: ATTRIBUTE_INT })),
    ...Object.entries(n.strings ?? {}).map(([name, list]) => ({ name, strings: list.map((s) => new TextEncoder().encode(s)), type: ATTRIBUTE_STRINGS })),
  ];
  return { input: n.inputs, output: n.outputs, name: `${n.op}_${index}`, opType: n.op, attribute };
}

/** The bytes of a ModelProto holding `graph` (f32 tensors little-endian, as ONNX stores raw_data). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const message = ModelProto.fromObject({
    irVersion: IR_VERSION,
    producerName: 'wasm-rnn peers bench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: 'bench',
      node: graph.nodes.map(node),
      initializer: graph.initializers.map(tensor),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  });
  return ModelProto.encode(message).finish();
}
