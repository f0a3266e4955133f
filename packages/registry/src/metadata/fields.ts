/**
 * The comma-separated `key=value` fields of one tag, flavor or image entry, read the way
 * docker/metadata-action reads them (CSV: a field may be double-quoted to hold commas, `""` is a
 * literal quote inside quotes, a quote anywhere else is an error).
 */
export class ExpressionError extends Error {}

export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      for (i++; ; i++) {
        if (i >= line.length) throw new ExpressionError(`unclosed quote in '${line}'`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i++;
            continue;
          }
          i++;
          break;
        }
        value += line[i];
      }
      if (i < line.length && line[i] !== ',')
        throw new ExpressionError(`unexpected text after a closing quote in '${line}'`);
      fields.push(value);
      i++;
      continue;
    }
    const end = line.indexOf(',', i);
    const value = line.slice(i, end === -1 ? line.length : end);
    if (value.includes('"'))
      throw new ExpressionError(
        `a quote in the middle of field '${value}' in '${line}'; quote the whole field instead`,
      );
    fields.push(value);
    if (end === -1) break;
    i = end + 1;
  }
  return fields;
}

/** `key=value` split at the first '=' (values may hold more), both trimmed; a bare word has no key. */
export function keyValue(field: string): { key?: string; value: string } {
  const eq = field.indexOf('=');
  if (eq <= 0) return { value: field.trim() };
  return { key: field.slice(0, eq).trim().toLowerCase(), value: field.slice(eq + 1).trim() };
}
