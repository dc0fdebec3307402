import { ShapeError, ValueError, describe } from '../errors.js';
import { readNumeric, type NumericInput } from './numeric-input.js';
import type { VocabularyConfig } from './vocabulary.js';

/** What `toJSON` writes for either tokenizer. */
export interface TokenizerJSON {
  kind: 'charTokenizer' | 'wordTokenizer';
  lowercase: boolean;
  bosEos: boolean;
  /** The token of each id. */
  tokens: string[];
}

/**
 * Maps text to ids and back over a fixed vocabulary. Ids 0 = '<pad>' and 1 = '<unk>' are reserved
 * (and 2 = '<bos>', 3 = '<eos>' with bosEos). Subclasses say how text splits into tokens and joins back.
 */
export abstract class Tokenizer {
  readonly padId = 0;
  readonly unknownId = 1;
  /** Id of '<bos>' (2) when fitted with bosEos, else undefined. */
  readonly bosId: number | undefined;
  /** Id of '<eos>' (3) when fitted with bosEos, else undefined. */
  readonly eosId: number | undefined;
  readonly lowercase: boolean;
  /** The token of each id. */
  readonly tokens: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  protected abstract readonly kind: TokenizerJSON['kind'];
  protected abstract readonly name: string;
  /** Splits (already lower-cased) text into tokens. */
  protected abstract split(text: string): string[];
  /** Joins decoded tokens back into text. */
  protected abstract join(tokens: string[]): string;

  protected constructor(config: VocabularyConfig) {
    this.tokens = Object.freeze([...config.tokens]);
    this.lowercase = config.lowercase;
    this.bosId = config.bosEos ? 2 : undefined;
    this.eosId = config.bosEos ? 3 : undefined;
    this.ids = new Map(this.tokens.map((token, id) => [token, id]));
  }

  /** Number of ids, reserved ones included: the input size of an Embedding or the width of a one-hot. */
  get vocabSize(): number {
    return this.tokens.length;
  }

  /** The id of a token; '<unk>' (1) for tokens outside the vocabulary. */
  idOf(token: string): number {
    return this.ids.get(token) ?? this.unknownId;
  }

  /** Ids of the text's tokens (wrapped in '<bos>' … '<eos>' when fitted with bosEos). */
  encode(text: string): number[] {
    if (typeof text !== 'string') throw new ValueError(`${this.name}.encode: text must be a string, got ${describe(text)}`);
    const ids = this.split(this.lowercase ? text.toLowerCase() : text).map((token) => this.idOf(token));
    return this.bosId === undefined ? ids : [this.bosId, ...ids, this.eosId!];
  }

  /** Text of the ids: '<pad>', '<bos>' and '<eos>' are left out, unknown ids read '<unk>'. */
  decode(ids: NumericInput): string {
    const where = `${this.name}.decode`;
    const { values, shape } = readNumeric(where, 'ids', ids);
    if (shape.length > 1) throw new ShapeError(`${where}: ids must be 1-D (one sequence), got shape [${shape.join(', ')}]`);
    const tokens: string[] = [];
    values.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
        throw new ValueError(`${where}: ids[${i}] must be an integer in [0, ${this.tokens.length}), got ${id}`);
      }
      if (id !== this.padId && id !== this.bosId && id !== this.eosId) tokens.push(this.tokens[id]!);
    });
    return this.join(tokens);
  }

  toJSON(): TokenizerJSON {
    return { kind: this.kind, lowercase: this.lowercase, bosEos: this.bosId !== undefined, tokens: [...this.tokens] };
  }
}
