import { ATTRIBUTE_TYPE, DATA_TYPE, type AttributeMessage, type NodeMessage, type TensorMessage } from './onnx-proto.js';

/*
 * Builds the node list and initializers of an ONNX graph: `op` appends a node and returns the
 * names of its outputs; `weight` and `int64s` add initializers. Names are unique by construction
 * (a prefix plus a counter).
 */

export type AttributeValue = number | string | readonly number[] | readonly string[] | { float: number } | { floats: readonly number[] };

const encoder = new TextEncoder();

function attribute(name: string, value: AttributeValue): AttributeMessage {
  if (typeof value === 'number') return { name, type: ATTRIBUTE_TYPE.INT, i: value };
  if (typeof value === 'string') return { name, type: ATTRIBUTE_TYPE.STRING, s: encoder.encode(value) };
  if ('float' in value) return { name, type: ATTRIBUTE_TYPE.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: ATTRIBUTE_TYPE.FLOATS, floats: [...value.floats] };
  if (value.every((v): v is string => typeof v === 'string')) return { name, type: ATTRIBUTE_TYPE.STRINGS, strings: value.map((v) => encoder.encode(v)) };
  return { name, type: ATTRIBUTE_TYPE.INTS, ints: [...(value as readonly number[])] };
}

export class OnnxGraph {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  private count = 0;

  /** A fresh value name: `${base}_${n}`. */
  name(base: string): string {
    return `${base}_${this.count++}`;
  }

  /**
   * Appends a node; '' stands for an omitted optional input. `outputs`: how many fresh output
   * names to make, or the names to give them. Returns the output names.
   */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, outputs: number | readonly string[] = 1): string[] {
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.name(opType)) : [...outputs];
    this.nodes.push({
      name: this.name(`node_${opType}`),
      opType,
      input: [...inputs],
      output: names,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return names;
  }

  /** The single output of a node. */
  op1(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.op(opType, inputs, attributes)[0]!;
  }

  /** A float32 initializer. */
  weight(base: string, dims: readonly number[], values: Float32Array): string {
    const name = this.name(base);
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.initializers.push({ name, dims: [...dims], dataType: DATA_TYPE.FLOAT, rawData: bytes });
    return name;
  }

  /** A 1-D int64 initializer (shapes, axes, indices). */
  int64s(base: string, values: readonly number[]): string {
    const name = this.name(base);
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims: [values.length], dataType: DATA_TYPE.INT64, rawData: bytes });
    return name;
  }

  /** A scalar (rank-0) int64 initializer, e.g. a Gather index that drops its axis. */
  int64Scalar(base: string, value: number): string {
    const name = this.int64s(base, [value]);
    this.initializers[this.initializers.length - 1]!.dims = [];
    return name;
  }
}
