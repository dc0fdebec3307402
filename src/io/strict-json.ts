import { ModelFileError } from './model-file-error.js';

/**
 * A JSON value with objects as Maps: no prototype to pollute, no `__proto__` setter, and
 * duplicate keys are an error instead of JSON.parse's silent "last one wins".
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** A JSON value with objects as null-prototype records: no prototype reachable through it. */
export type JsonData = null | boolean | number | string | JsonData[] | JsonRecord;
export interface JsonRecord {
  [key: string]: JsonData;
}

/** Deeper nesting than any model header or document needs; bounds the parser's recursion on hostile input. */
const MAX_DEPTH = 64;

const LITERALS: readonly (readonly [string, JsonValue])[] = [['true', true], ['false', false], ['null', null]];
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Parses RFC 8259 JSON strictly (duplicate keys, lone surrogates and nesting deeper than 64 are
 * errors). Failures throw ModelFileError: `${where}: ${subject} is not valid JSON: … at character n`.
 */
export function parseStrictJson(text: string, where: string, subject = 'the header'): JsonValue {
  return new StrictJsonParser(text, where, subject).document();
}

/**
 * parseStrictJson, with objects as null-prototype records for readers that walk plain data;
 * `__proto__` keys are refused (ModelFileError), so a hostile document reaches no prototype.
 */
export function parseStrictJsonRecords(text: string, where: string, subject: string): JsonData {
  return recordsOf(parseStrictJson(text, where, subject), where, subject);
}

function recordsOf(value: JsonValue, where: string, subject: string): JsonData {
  if (Array.isArray(value)) return value.map((item) => recordsOf(item, where, subject));
  if (!(value instanceof Map)) return value;
  const out = Object.create(null) as JsonRecord;
  for (const [key, item] of value) {
    if (key === '__proto__') throw new ModelFileError(`${where}: ${subject} holds a '__proto__' key, which is refused`);
    out[key] = recordsOf(item, where, subject);
  }
  return out;
}

class StrictJsonParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly where: string,
    private readonly subject: string,
  ) {}

  document(): JsonValue {
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('unexpected text after the top-level value');
    return value;
  }

  private value(depth: number): JsonValue {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, literal] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return literal;
      }
    }
    return this.fail(c === undefined ? 'unexpected end' : `unexpected character ${JSON.stringify(c)}`);
  }

  private object(depth: number): JsonObject {
    this.checkDepth(depth);
    this.pos++;
    const members: JsonObject = new Map();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return members;
    }
    for (;;) {
      this.skipWhitespace();
      const keyStart = this.pos;
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      if (members.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyStart);
      this.skipWhitespace();
      this.expect(':');
      members.set(key, this.value(depth));
      this.skipWhitespace();
      if (this.text[this.pos] !== ',') break;
      this.pos++;
    }
    this.expect('}');
    return members;
  }

  private array(depth: number): JsonValue[] {
    this.checkDepth(depth);
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipWhitespace();
      if (this.text[this.pos] !== ',') break;
      this.pos++;
    }
    this.expect(']');
    return items;
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      PLAIN_RUN.lastIndex = this.pos;
      PLAIN_RUN.test(this.text);
      out += this.text.slice(this.pos, PLAIN_RUN.lastIndex);
      this.pos = PLAIN_RUN.lastIndex;
      const c = this.text[this.pos];
      if (c === '"') break;
      if (c === undefined) this.fail('unterminated string', start);
      if (c !== '\\') this.fail('unescaped control character in a string');
      out += this.escape();
    }
    this.pos++;
    if (LONE_SURROGATE.test(out)) this.fail('a string holds a lone UTF-16 surrogate', start);
    return out;
  }

  /** The character of the escape at pos (a backslash); advances past it. */
  private escape(): string {
    const letter = this.text[this.pos + 1];
    if (letter === 'u') {
      HEX4.lastIndex = this.pos + 2;
      if (!HEX4.test(this.text)) this.fail('\\u must be followed by four hex digits');
      const unit = String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
      this.pos += 6;
      return unit;
    }
    const decoded = letter === undefined ? undefined : ESCAPES[letter];
    if (decoded === undefined) this.fail(`invalid escape \\${letter ?? ''}`);
    this.pos += 2;
    return decoded;
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.test(this.text)) this.fail('invalid number');
    const value = Number(this.text.slice(this.pos, NUMBER.lastIndex));
    this.pos = NUMBER.lastIndex;
    return value;
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return;
      this.pos++;
    }
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail(`expected '${c}'`);
    this.pos++;
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }

  private fail(problem: string, at = this.pos): never {
    throw new ModelFileError(`${this.where}: ${this.subject} is not valid JSON: ${problem} at character ${at}`);
  }
}
