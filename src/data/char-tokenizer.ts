import { Tokenizer } from './tokenizer.js';
import { fitVocabulary, readVocabulary, type TokenizerFitOptions } from './vocabulary.js';

/** Splits text into Unicode code points (a surrogate pair such as an emoji is one token). */
function splitChars(text: string): string[] {
  return Array.from(text);
}

/** Character-level tokenizer for char-RNN models: every code point is a token. */
export class CharTokenizer extends Tokenizer {
  protected readonly kind = 'charTokenizer';
  protected readonly name = 'CharTokenizer';

  /** Learns the characters of `texts` (lowercase defaults to false: case is part of the text). */
  static fit(texts: string | readonly string[], options?: TokenizerFitOptions): CharTokenizer {
    return new CharTokenizer(fitVocabulary('CharTokenizer.fit', texts, splitChars, options, false));
  }

  static fromJSON(json: unknown): CharTokenizer {
    return new CharTokenizer(readVocabulary('CharTokenizer.fromJSON', json, 'charTokenizer'));
  }

  protected split(text: string): string[] {
    return splitChars(text);
  }

  protected join(tokens: string[]): string {
    return tokens.join('');
  }
}

/** `CharTokenizer.fit(texts, options)`. */
export function charTokenizer(texts: string | readonly string[], options?: TokenizerFitOptions): CharTokenizer {
  return CharTokenizer.fit(texts, options);
}
