import { ValueError, describe } from '../errors.js';

/** One record of a CSV text: its raw fields and the 1-based line on which it starts. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Splits CSV text into records (RFC 4180): fields are separated by `delimiter`, records by LF or CRLF;
 * a field in double quotes may hold delimiters, line breaks and doubled quotes (`""` → `"`).
 * A byte-order mark is ignored and blank lines are skipped. Text after a closing quote, other than a
 * delimiter or a line break, and a quote that is never closed are errors naming the line.
 */
export function splitRecords(where: string, text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const end = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let quoted = false;
  for (;;) {
    if (text[i] === '"') {
      const openedOn = line;
      let value = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new ValueError(`${where}: line ${openedOn}: a quoted field is never closed (missing '"')`);
        const chunk = text.slice(i, close);
        line += countLineBreaks(chunk);
        value += chunk;
        if (text[close + 1] !== '"') {
          i = close + 1;
          break;
        }
        value += '"';
        i = close + 2;
      }
      if (i < end && !isFieldEnd(text, i, delimiter)) {
        throw new ValueError(
          `${where}: line ${line}: unexpected ${describe(text[i])} after a closing quote; quote the whole field and double the quotes inside it ("")`,
        );
      }
      fields.push(value);
      quoted = true;
    } else {
      let j = i;
      while (j < end && !isFieldEnd(text, j, delimiter)) j++;
      fields.push(text.slice(i, j));
      i = j;
    }
    if (i < end && text[i] === delimiter) {
      i++;
      continue;
    }
    const blank = fields.length === 1 && fields[0] === '' && !quoted;
    if (!blank) records.push({ fields, line: recordLine });
    if (i >= end) return records;
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    recordLine = line;
    fields = [];
    quoted = false;
  }
}

function isFieldEnd(text: string, i: number, delimiter: string): boolean {
  const c = text[i];
  return c === delimiter || c === '\n' || c === '\r';
}

function countLineBreaks(chunk: string): number {
  // CRLF counts once: count LFs, plus CRs not followed by LF.
  let count = 0;
  for (let k = 0; k < chunk.length; k++) {
    if (chunk[k] === '\n' || (chunk[k] === '\r' && chunk[k + 1] !== '\n')) count++;
  }
  return count;
}
