import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import { ExpressionError } from './fields';
import type { TemplateContext, TemplateHelper } from './template';

dayjs.extend(utc);
dayjs.extend(timezone);

/** `{{date 'format' tz='Zone'}}` as metadata-action formats it (moment-timezone's tokens, UTC by default). */
export function formatDate(date: Date, args: Array<string | undefined>, hash: Record<string, string>): string {
  const tz = hash.tz ?? 'UTC';
  // Without a format, moment's default: ISO 8601 with 'Z' in UTC and the offset elsewhere.
  const format = args[0] ?? (tz === 'UTC' ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ');
  for (const key of Object.keys(hash))
    if (key !== 'tz') throw new ExpressionError(`unknown date attribute '${key}'; only tz is supported`);
  try {
    return dayjs(date).tz(tz).format(format);
  } catch {
    throw new ExpressionError(`unknown time zone '${hash.tz}' in a date expression`);
  }
}

/** The two date helpers: the time of the run and the time of the commit. */
export function dateHelpers(now: Date, commitDate: Date): TemplateContext {
  return {
    date: ((args, hash) => formatDate(now, args, hash)) satisfies TemplateHelper,
    commit_date: ((args, hash) => formatDate(commitDate, args, hash)) satisfies TemplateHelper,
  };
}
