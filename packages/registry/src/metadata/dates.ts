import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import advancedFormat from 'dayjs/plugin/advancedFormat.js';
import weekOfYear from 'dayjs/plugin/weekOfYear.js';
import isoWeek from 'dayjs/plugin/isoWeek.js';
import weekYear from 'dayjs/plugin/weekYear.js';
import localizedFormat from 'dayjs/plugin/localizedFormat.js';
import dayOfYear from 'dayjs/plugin/dayOfYear.js';
import { ExpressionError } from './fields';
import type { TemplateContext, TemplateHelper } from './template';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(weekOfYear);
dayjs.extend(isoWeek);
dayjs.extend(weekYear);
dayjs.extend(advancedFormat);
dayjs.extend(localizedFormat);
dayjs.extend(dayOfYear);

// moment's format tokens (its formattingTokens and localFormattingTokens); any other character is literal there.
const MOMENT_TOKEN =
  /(\[[^[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4}|[Hh]mm(?:ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(?:ggg?)?|GG(?:GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?)|./gs;
/**
 * The moment tokens dayjs (with the plugins above) renders the same, checked side by side with
 * metadata-action's own bundle; any other token is refused rather than rendered differently.
 */
const SAME_AS_MOMENT = new Set(
  (
    'YYYY YY M MM MMM MMMM D DD Do d dd ddd dddd H HH h hh k kk m mm s ss SSS A a Z ZZ X x Q ' +
    'w ww W WW gggg GGGG LT LTS L LL LLL LLLL l ll lll llll Hmm Hmmss hmm hmmss DDD DDDD E e'
  ).split(' '),
);

/**
 * The format for dayjs: refused when a token would render unlike moment (metadata-action's
 * formatter); the tokens dayjs lacks or gets wrong in a time zone (X and x shift with it) are
 * rendered here as literal text.
 */
function dayjsFormat(format: string, date: Date, zoned: dayjs.Dayjs): string {
  return format.replace(MOMENT_TOKEN, (match: string, literal?: string, escape?: string, token?: string) => {
    if (token === undefined) return match;
    if (escape !== undefined || !SAME_AS_MOMENT.has(token))
      throw new ExpressionError(
        `date format '${escape ?? ''}${token}' in '${format}' is not supported; use ${[...SAME_AS_MOMENT].join(' ')}, with literal text in [brackets]`,
      );
    const own: Record<string, () => string> = {
      X: () => String(Math.floor(date.getTime() / 1000)),
      x: () => String(date.getTime()),
      DDD: () => String(zoned.dayOfYear()),
      DDDD: () => String(zoned.dayOfYear()).padStart(3, '0'),
      E: () => String(zoned.isoWeekday()),
      e: () => String(zoned.day()),
    };
    return own[token] ? `[${own[token]()}]` : token;
  });
}

/** `{{date 'format' tz='Zone'}}` as metadata-action formats it (moment-timezone's tokens, UTC by default). */
export function formatDate(date: Date, args: Array<string | undefined>, hash: Record<string, string>): string {
  // Handlebars hands a helper without arguments its options as the format: metadata-action fails there.
  if (args.length === 0)
    throw new ExpressionError("a date expression needs a format, e.g. {{date 'YYYYMMDD'}} or {{commit_date 'X'}}");
  const tz = hash.tz ?? 'UTC';
  for (const key of Object.keys(hash))
    if (key !== 'tz') throw new ExpressionError(`unknown date attribute '${key}'; only tz is supported`);
  // A bare word is a lookup that finds nothing: moment's default format, ISO 8601 with 'Z' in UTC.
  const format = args[0] ?? (tz === 'UTC' ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ');
  let zoned: dayjs.Dayjs;
  try {
    zoned = dayjs(date).tz(tz);
  } catch {
    throw new ExpressionError(`unknown time zone '${hash.tz}' in a date expression`);
  }
  return zoned.format(dayjsFormat(format, date, zoned));
}

/** The two date helpers: the time of the run and the time of the commit. */
export function dateHelpers(now: Date, commitDate: Date): TemplateContext {
  return {
    date: ((args, hash) => formatDate(now, args, hash)) satisfies TemplateHelper,
    commit_date: ((args, hash) => formatDate(commitDate, args, hash)) satisfies TemplateHelper,
  };
}
