import { describe, expect, it } from 'vitest';
import { WordTokenizer, wordTokenizer } from '../../src/data/word-tokenizer.js';
import { ValueError } from '../../src/errors.js';

describe('WordTokenizer', () => {
  it('splits words (inner apostrophes kept) and single punctuation marks, lower-casing by default', () => {
    const tok = wordTokenizer(["Don't stop—it's well-known, OK?"]);
    expect(tok.tokens).toEqual(['<pad>', '<unk>', ',', '-', '?', 'don\'t', 'it\'s', 'known', 'ok', 'stop', 'well', '—']);
    expect(tok.encode('OK, stop!')).toEqual([8, 2, 9, 1]);
  });

  it('orders by count, ties by code point, after the reserved ids', () => {
    const tok = wordTokenizer(['the cat saw the dog', 'the dog ran']);
    expect(tok.tokens).toEqual(['<pad>', '<unk>', 'the', 'dog', 'cat', 'ran', 'saw']);
    expect(tok.vocabSize).toBe(7);
  });

  it('splits letters with marks and digits in any script, numbers at the decimal point', () => {
    expect(wordTokenizer('Café naïve 3.5 Ζεύς').tokens.slice(2)).toEqual(['.', '3', '5', 'café', 'naïve', 'ζεύς']);
  });

  it('decodes with single spaces, no space before closing or after opening punctuation', () => {
    const tok = wordTokenizer(['hello , world . ( yes ) [ no ] "quoted"']);
    expect(tok.decode(tok.encode('Hello, world. (yes) [no]!'))).toBe('hello, world. (yes) [no] <unk>');
    expect(tok.decode(tok.encode('"quoted"'))).toBe('" quoted "');
  });

  it('keeps case with lowercase: false, and limits the vocabulary with minCount and maxVocab', () => {
    expect(wordTokenizer('The the', { lowercase: false }).tokens).toEqual(['<pad>', '<unk>', 'The', 'the']);
    const text = 'a a a b b c';
    expect(wordTokenizer(text, { minCount: 2 }).tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(wordTokenizer(text, { maxVocab: 3 }).tokens).toEqual(['<pad>', '<unk>', 'a']);
  });

  it('wraps in <bos> … <eos> with bosEos', () => {
    const tok = wordTokenizer('go now', { bosEos: true });
    expect(tok.encode('go now')).toEqual([2, 4, 5, 3]);
    expect(tok.decode([2, 4, 5, 3, 0, 0])).toBe('go now');
  });

  it('round-trips through toJSON / fromJSON', () => {
    const tok = wordTokenizer(['One two, two.'], { lowercase: false });
    const json = JSON.parse(JSON.stringify(tok));
    expect(json.kind).toBe('wordTokenizer');
    const back = WordTokenizer.fromJSON(json);
    expect(back.tokens).toEqual(tok.tokens);
    expect(back.lowercase).toBe(false);
    expect(back.encode('two One three')).toEqual(tok.encode('two One three'));
  });

  it('names the problem in bad input', () => {
    expect(wordTokenizer('  ... ').tokens).toEqual(['<pad>', '<unk>', '.']);
    expect(() => wordTokenizer(' \n\t ')).toThrow('WordTokenizer.fit: texts hold no tokens to learn a vocabulary from');
    expect(() => wordTokenizer('a', { mincount: 2 } as never)).toThrow(/unknown option 'mincount' \(did you mean 'minCount'\?\)/);
    expect(() => wordTokenizer('a', { maxVocab: 1.5 })).toThrow('WordTokenizer.fit: maxVocab must be a positive integer, got 1.5');
    const tok = wordTokenizer('a b');
    expect(() => tok.decode([4])).toThrow('WordTokenizer.decode: ids[0] must be an integer in [0, 4), got 4');
    expect(() => tok.encode(null as never)).toThrow('WordTokenizer.encode: text must be a string, got null');
    expect(() => WordTokenizer.fromJSON({ kind: 'charTokenizer', tokens: [] })).toThrow(ValueError);
  });
});
