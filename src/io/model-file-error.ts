import { WasmRnnError } from '../errors.js';

/**
 * A model or weight file is malformed, truncated, hostile or holds something wasm-rnn cannot
 * read (an unsupported dtype, non-finite weights). The message names the file part at fault:
 * the header, a tensor by name, a byte range.
 */
export class ModelFileError extends WasmRnnError {
  override name = 'ModelFileError';
}
