import { Tokenizer } from './tokenizer.js';
import { fitVocabulary, readVocabulary, type TokenizerFitOptions } from './vocabulary.js';

/**
 * A word is a run of letters, combining marks and digits, with inner apostrophes kept ("don't",
 * "o'clock"); every other non-space character is a token of its own ("," "." "-" "$"). Whitespace
 * separates tokens and is dropped.
 */
const WORD_OR_SYMBOL = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
/** decode writes no space before these … */
const CLOSING = /\s+([.,!?;:%)\]}…])/gu;
/** … nor after these. */
const OPENING = /([([{])\s+/gu;

function splitWords(text: string): string[] {
  return text.match(WORD_OR_SYMBOL) ?? [];
}

/** Word-level tokenizer: words and punctuation marks (see WORD_OR_SYMBOL) are tokens. */
export class WordTokenizer extends Tokenizer {
  protected readonly kind = 'wordTokenizer';
  protected readonly name = 'WordTokenizer';

  /** Learns the words of `texts` (lowercase defaults to true). */
  static fit(texts: string | readonly string[], options?: TokenizerFitOptions): WordTokenizer {
    return new WordTokenizer(fitVocabulary('WordTokenizer.fit', texts, splitWords, options, true));
  }

  static fromJSON(json: unknown): WordTokenizer {
    return new WordTokenizer(readVocabulary('WordTokenizer.fromJSON', json, 'wordTokenizer'));
  }

  protected split(text: string): string[] {
    return splitWords(text);
  }

  /** Tokens joined by single spaces, without spaces before closing or after opening punctuation. */
  protected join(tokens: string[]): string {
    return tokens.join(' ').replace(CLOSING, '$1').replace(OPENING, '$1');
  }
}

/** `WordTokenizer.fit(texts, options)`. */
export function wordTokenizer(texts: string | readonly string[], options?: TokenizerFitOptions): WordTokenizer {
  return WordTokenizer.fit(texts, options);
}
