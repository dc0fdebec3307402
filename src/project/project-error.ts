import { WasmRnnError } from '../errors.js';

/**
 * A project file (or config object) that cannot run: an unknown key, a wrong type, a missing file
 * or column, missing values, a window longer than the training split, an empty grid. Raised while
 * the project is read and checked, before any training starts; `wasm-rnn run` exits with code 2.
 */
export class ProjectError extends WasmRnnError {
  override name = 'ProjectError';
}
