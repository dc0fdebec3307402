import { ValueError, positiveInteger } from '../errors.js';
import { Tensor } from '../tensor.js';
import { indexPath, readNumeric, type NumericInput } from './numeric-input.js';

/** One-hot rows of class ids: ids of shape S give a Tensor [...S, depth] with a 1 at each id. */
export function oneHot(ids: NumericInput, depth: number): Tensor {
  const where = 'oneHot';
  positiveInteger(where, 'depth', depth);
  const { values, shape } = readNumeric(where, 'ids', ids);
  const out = new Float32Array(values.length * depth);
  values.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= depth) {
      throw new ValueError(`${where}: ids${indexPath(shape, i)} must be an integer in [0, ${depth}) (depth ${depth}), got ${id}`);
    }
    out[i * depth + id] = 1;
  });
  return new Tensor(out, [...shape, depth]);
}
