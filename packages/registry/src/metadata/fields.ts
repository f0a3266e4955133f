import { CsvError, parse } from 'csv-parse/sync';

/**
 * Inputs and their entries read the way docker/metadata-action reads them, with the same CSV
 * parser (csv-parse): first the whole input as actions-toolkit's Util.getInputList does, then
 * each entry's comma-separated `key=value` fields (a field may be double-quoted to hold commas,
 * `""` is a literal quote inside quotes, a quote anywhere else is an error).
 */
export class ExpressionError extends Error {}

/**
 * A list input as metadata-action gets it (getInputList with ignoreComma, comment '#' and
 * commentNoInfix): the input is parsed as CSV first, so quotes around a whole field are removed
 * before the entry itself is parsed, and a line starting with '#' is a comment.
 */
export function inputList(raw: string): string[] {
  const input = raw.trim();
  if (!input) return [];
  const records = csv(input, 'the input', {
    relaxQuotes: true,
    comment: '#',
    comment_no_infix: true,
  });
  // A line of spaces becomes an empty entry there; it means nothing, so it is dropped here.
  return records.map((fields) => fields.join(',').trim()).filter(Boolean);
}

/** The fields of one entry (the first CSV record of it, as metadata-action takes). */
export function splitFields(line: string): string[] {
  return csv(line, `'${line}'`, {})[0] ?? [];
}

function csv(text: string, where: string, options: Record<string, unknown>): string[][] {
  try {
    return parse(text, { columns: false, relaxColumnCount: true, skipEmptyLines: true, ...options }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') throw new ExpressionError(`unclosed quote in ${where}`);
    if (error.code === 'INVALID_OPENING_QUOTE')
      throw new ExpressionError(`a quote in the middle of a field in ${where}; quote the whole field instead`);
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE')
      throw new ExpressionError(`unexpected text after a closing quote in ${where}`);
    throw new ExpressionError(`${where} is not valid CSV: ${error.message}`);
  }
}

/** `key=value` split at the first '=' (values may hold more), both trimmed; a bare word has no key. */
export function keyValue(field: string): { key?: string; value: string } {
  const eq = field.indexOf('=');
  if (eq <= 0) return { value: field.trim() };
  return { key: field.slice(0, eq).trim().toLowerCase(), value: field.slice(eq + 1).trim() };
}
