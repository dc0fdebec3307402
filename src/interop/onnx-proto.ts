import { StateError } from '../errors.js';

/*
 * The part of ONNX's protobuf schema the exporter writes, encoded with protobufjs (imported on the
 * first export, so the core never loads it). Messages, field names and field numbers are those of
 * onnx/onnx.proto (github.com/onnx/onnx, `onnx/onnx.proto`, proto2 syntax; IR version 7–10):
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
 * TensorShapeProto, OperatorSetIdProto. Fields the exporter never sets are left out.
 */

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface TensorMessage {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian bytes of the values, row-major. */
  rawData: Uint8Array;
}

export interface AttributeMessage {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface NodeMessage {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: AttributeMessage[];
}

/** A dimension: a size or a symbolic name (dim_param). */
export type DimMessage = { dimValue: number } | { dimParam: string };

export interface ValueInfoMessage {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: DimMessage[] } } };
}

export interface ModelMessage {
  irVersion: number;
  producerName: string;
  opsetImport: { domain: string; version: number }[];
  graph: {
    name: string;
    node: NodeMessage[];
    initializer: TensorMessage[];
    input: ValueInfoMessage[];
    output: ValueInfoMessage[];
  };
}

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { id: 1, type: 'string' },
            f: { id: 2, type: 'float' },
            i: { id: 3, type: 'int64' },
            s: { id: 4, type: 'bytes' },
            floats: { id: 7, type: 'float', rule: 'repeated', options: { packed: false } },
            ints: { id: 8, type: 'int64', rule: 'repeated', options: { packed: false } },
            strings: { id: 9, type: 'bytes', rule: 'repeated' },
            type: { id: 20, type: 'int32' },
          },
        },
        ValueInfoProto: { fields: { name: { id: 1, type: 'string' }, type: { id: 2, type: 'TypeProto' } } },
        NodeProto: {
          fields: {
            input: { id: 1, type: 'string', rule: 'repeated' },
            output: { id: 2, type: 'string', rule: 'repeated' },
            name: { id: 3, type: 'string' },
            opType: { id: 4, type: 'string' },
            attribute: { id: 5, type: 'AttributeProto', rule: 'repeated' },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { id: 1, type: 'int64' },
            producerName: { id: 2, type: 'string' },
            graph: { id: 7, type: 'GraphProto' },
            opsetImport: { id: 8, type: 'OperatorSetIdProto', rule: 'repeated' },
          },
        },
        GraphProto: {
          fields: {
            node: { id: 1, type: 'NodeProto', rule: 'repeated' },
            name: { id: 2, type: 'string' },
            initializer: { id: 5, type: 'TensorProto', rule: 'repeated' },
            input: { id: 11, type: 'ValueInfoProto', rule: 'repeated' },
            output: { id: 12, type: 'ValueInfoProto', rule: 'repeated' },
          },
        },
        TensorProto: {
          fields: {
            dims: { id: 1, type: 'int64', rule: 'repeated', options: { packed: false } },
            dataType: { id: 2, type: 'int32' },
            name: { id: 8, type: 'string' },
            rawData: { id: 9, type: 'bytes' },
          },
        },
        TensorShapeProto: {
          fields: { dim: { id: 1, type: 'Dimension', rule: 'repeated' } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: { id: 1, type: 'int64' }, dimParam: { id: 2, type: 'string' } },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: { tensorType: { id: 1, type: 'Tensor' } },
          nested: {
            Tensor: { fields: { elemType: { id: 1, type: 'int32' }, shape: { id: 2, type: 'TensorShapeProto' } } },
          },
        },
        OperatorSetIdProto: { fields: { domain: { id: 1, type: 'string' }, version: { id: 2, type: 'int64' } } },
      },
    },
  },
};

/** The bytes of a ModelProto. */
export async function encodeModel(where: string, model: ModelMessage): Promise<Uint8Array> {
  let protobuf: typeof import('protobufjs/light.js');
  try {
    // The light build: reflection without the .proto parser (29 KiB gzipped instead of 35).
    const module = await import('protobufjs/light.js');
    // A CommonJS package: Node's ESM loader puts it on `default`.
    protobuf = (module as { default?: typeof import('protobufjs/light.js') }).default ?? module;
  } catch (cause) {
    throw new StateError(`${where}: the protobuf encoder (the 'protobufjs' package, a dependency of wasm-rnn) could not be loaded: ${(cause as Error).message}`, { cause });
  }
  const type = protobuf.Root.fromJSON(SCHEMA).lookupType('onnx.ModelProto');
  // In Node, protobufjs returns a Buffer that may be a view into a shared pool: copy it out.
  return new Uint8Array(type.encode(type.fromObject(model)).finish());
}
