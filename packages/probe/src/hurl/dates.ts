/**
 * Hurl's `toDate` and `format` filters take chrono (strftime) formats. This covers the specifiers
 * real specs use; any other is an error rather than a guess.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Expands the composite specifiers into the simple ones. */
function expand(format: string): string {
  return format.replace(/%([TFDRc+])/g, (_m, c: string) =>
    c === 'T'
      ? '%H:%M:%S'
      : c === 'F'
        ? '%Y-%m-%d'
        : c === 'D'
          ? '%m/%d/%y'
          : c === 'R'
            ? '%H:%M'
            : c === 'c'
              ? '%a %b %e %H:%M:%S %Y'
              : '%Y-%m-%dT%H:%M:%S%.f%:z',
  );
}

export function formatDate(date: Date, format: string): string {
  return expand(format).replace(/%(\.?\d?f|:z|[a-zA-Z%])/g, (m, spec: string) => {
    switch (spec) {
      case 'Y':
        return String(date.getUTCFullYear());
      case 'y':
        return pad(date.getUTCFullYear() % 100);
      case 'm':
        return pad(date.getUTCMonth() + 1);
      case 'd':
        return pad(date.getUTCDate());
      case 'e':
        return String(date.getUTCDate()).padStart(2, ' ');
      case 'H':
        return pad(date.getUTCHours());
      case 'I':
        return pad(((date.getUTCHours() + 11) % 12) + 1);
      case 'p':
        return date.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'M':
        return pad(date.getUTCMinutes());
      case 'S':
        return pad(date.getUTCSeconds());
      case 'j':
        return pad(Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case 'a':
        return DAYS[date.getUTCDay()]!;
      case 'A':
        return DAY_NAMES[date.getUTCDay()]!;
      case 'b':
      case 'h':
        return MONTHS[date.getUTCMonth()]!;
      case 'B':
        return MONTH_NAMES[date.getUTCMonth()]!;
      case 'z':
        return '+0000';
      case ':z':
        return '+00:00';
      case 'Z':
        return 'UTC';
      case 's':
        return String(Math.floor(date.getTime() / 1000));
      case 'u':
        return String(date.getUTCDay() || 7);
      case 'w':
        return String(date.getUTCDay());
      case '%':
        return '%';
      case 'f':
      case '.f':
      case '3f':
      case '.3f':
        return (spec.startsWith('.') ? '.' : '') + pad(date.getUTCMilliseconds(), 3);
      case '6f':
      case '.6f':
        return (spec.startsWith('.') ? '.' : '') + pad(date.getUTCMilliseconds(), 3) + '000';
      case '9f':
      case '.9f':
        return (spec.startsWith('.') ? '.' : '') + pad(date.getUTCMilliseconds(), 3) + '000000';
      default:
        throw new Error(`date format specifier ${m} is unsupported`);
    }
  });
}

/** Parses `text` with a strftime format; undefined when it does not match. */
export function parseDate(text: string, format: string): Date | undefined {
  const fields: Record<string, string> = {};
  const names: string[] = [];
  let pattern = '';
  const parts = expand(format).split(/(%(?:\.?\d?f|:z|[a-zA-Z%]))/);
  for (const part of parts) {
    if (!part) continue;
    if (!part.startsWith('%') || part.length === 1) {
      pattern += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
      continue;
    }
    const spec = part.slice(1);
    const group = (re: string) => {
      names.push(spec);
      pattern += `(${re})`;
    };
    switch (spec) {
      case 'Y':
        group('[+-]?\\d{4,}');
        break;
      case 'y':
      case 'm':
      case 'd':
      case 'H':
      case 'I':
      case 'M':
      case 'S':
        group('\\d{1,2}');
        break;
      case 'e':
        group(' ?\\d{1,2}');
        break;
      case 'j':
        group('\\d{1,3}');
        break;
      case 'p':
        group('[AaPp][Mm]');
        break;
      case 'a':
      case 'A':
        group('[A-Za-z]+');
        break;
      case 'b':
      case 'h':
      case 'B':
        group('[A-Za-z]+');
        break;
      case 'z':
      case ':z':
        group('Z|[+-]\\d{2}:?\\d{2}');
        break;
      case 'Z':
        group('[A-Za-z]+');
        break;
      case 's':
        group('-?\\d+');
        break;
      case 'f':
      case '3f':
      case '6f':
      case '9f':
        group('\\d+');
        break;
      case '.f':
      case '.3f':
      case '.6f':
      case '.9f':
        group('(?:\\.\\d+)?');
        break;
      case '%':
        pattern += '%';
        break;
      default:
        throw new Error(`date format specifier %${spec} is unsupported`);
    }
  }
  const m = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!m) return undefined;
  names.forEach((name, i) => (fields[name] = m[i + 1] ?? ''));
  if ('s' in fields) return new Date(Number(fields.s) * 1000);
  const month = (name: string) => {
    const i = MONTHS.findIndex((mo) => name.slice(0, 3).toLowerCase() === mo.toLowerCase());
    return i < 0 ? undefined : i;
  };
  let year = Number(fields.Y ?? (fields.y !== undefined ? 2000 + Number(fields.y) : 1970));
  if (fields.y !== undefined && Number(fields.y) >= 70 && fields.Y === undefined) year -= 100;
  const mon =
    fields.m !== undefined
      ? Number(fields.m) - 1
      : fields.b !== undefined
        ? month(fields.b)
        : fields.B !== undefined
          ? month(fields.B)
          : fields.h !== undefined
            ? month(fields.h)
            : 0;
  if (mon === undefined) return undefined;
  const day = Number((fields.d ?? fields.e ?? '1').trim());
  let hour = Number(fields.H ?? fields.I ?? 0);
  if (fields.p) hour = (hour % 12) + (fields.p.toLowerCase() === 'pm' ? 12 : 0);
  const frac = (
    fields.f ??
    fields['.f'] ??
    fields['3f'] ??
    fields['.3f'] ??
    fields['6f'] ??
    fields['.6f'] ??
    fields['9f'] ??
    fields['.9f'] ??
    ''
  ).replace('.', '');
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let utc = Date.UTC(year, mon, day, hour, Number(fields.M ?? 0), Number(fields.S ?? 0), ms);
  const tz = fields.z ?? fields[':z'];
  if (tz && tz !== 'Z') {
    const t = /([+-])(\d{2}):?(\d{2})/.exec(tz)!;
    utc -= (t[1] === '-' ? -1 : 1) * (Number(t[2]) * 60 + Number(t[3])) * 60_000;
  }
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
