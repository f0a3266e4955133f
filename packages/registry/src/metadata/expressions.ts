import { dateHelpers } from './dates';
import { ExpressionError, keyValue, splitFields } from './fields';
import { render, type TemplateContext } from './template';

/**
 * The `tags`, `flavor` and `images` syntax of docker/metadata-action, parsed into plain objects
 * with the same defaults and the same errors. Parsing is pure and cheap: it runs while the inputs
 * are read, so a bad expression fails the step before anything happens.
 */
export const TAG_TYPES = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
export type TagType = (typeof TAG_TYPES)[number];

const DEFAULT_PRIORITY: Record<TagType, string> = {
  schedule: '1000',
  semver: '900',
  pep440: '900',
  match: '800',
  edge: '700',
  ref: '600',
  raw: '200',
  sha: '100',
};

export interface TagRule {
  type: TagType;
  /** Every attribute as written, plus the type's defaults (enable, priority, prefix for sha/pr...). */
  attrs: Record<string, string>;
  /** The entry as the user wrote it, for messages. */
  source: string;
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

export interface ImageEntry {
  name: string;
  enable: boolean;
}

/** metadata-action's default when `tags` is empty. */
export const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

const has = (attrs: Record<string, string>, key: string): boolean => Object.prototype.hasOwnProperty.call(attrs, key);

export function parseTagRule(source: string): TagRule {
  const attrs: Record<string, string> = {};
  let type: TagType | undefined;
  for (const field of splitFields(source)) {
    const { key, value } = keyValue(field);
    if (key === undefined) attrs.value = value;
    else if (key === 'type') {
      if (!(TAG_TYPES as readonly string[]).includes(value))
        throw new ExpressionError(`unknown tag type '${value}' in '${source}'; use one of ${TAG_TYPES.join(', ')}`);
      type = value as TagType;
    } else attrs[key] = value;
  }
  type ??= 'raw';
  const missing = (attr: string): ExpressionError => new ExpressionError(`'${source}' needs a ${attr} attribute`);
  switch (type) {
    case 'schedule':
      if (!has(attrs, 'pattern')) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      if (!has(attrs, 'pattern')) throw missing('pattern');
      attrs.value ??= '';
      attrs.match ??= '';
      break;
    case 'match':
      if (!has(attrs, 'pattern')) throw missing('pattern');
      attrs.group ??= '0';
      if (Number.isNaN(Number(attrs.group)))
        throw new ExpressionError(`group '${attrs.group}' in '${source}' is not a number`);
      attrs.value ??= '';
      break;
    case 'edge':
      attrs.branch ??= '';
      break;
    case 'ref':
      if (!has(attrs, 'event')) throw missing('event (branch, tag or pr)');
      if (!['branch', 'tag', 'pr'].includes(attrs.event!))
        throw new ExpressionError(`event '${attrs.event}' in '${source}' is not one of branch, tag, pr`);
      if (attrs.event === 'pr' && !has(attrs, 'prefix')) attrs.prefix = 'pr-';
      break;
    case 'raw':
      if (!has(attrs, 'value')) throw missing('value');
      break;
    case 'sha':
      if (!has(attrs, 'prefix')) attrs.prefix = 'sha-';
      attrs.format ??= 'short';
      if (!['short', 'long'].includes(attrs.format))
        throw new ExpressionError(`format '${attrs.format}' in '${source}' is not short or long`);
      break;
  }
  attrs.enable ??= 'true';
  attrs.priority ??= DEFAULT_PRIORITY[type];
  if (!/^-?\d+$/.test(attrs.priority))
    throw new ExpressionError(`priority '${attrs.priority}' in '${source}' is not a whole number`);
  const rule: TagRule = { type, attrs, source };
  checkRule(rule);
  return rule;
}

/**
 * The regular expression a `pattern` (type=match: `/re/flags` or plain) or a `match` attribute
 * stands for, built the way metadata-action builds it (String.prototype.match on a string).
 */
export function patternRegExp(pattern: string, allowSlashes: boolean): RegExp {
  const slashes = allowSlashes ? /^\/(.+)\/(.*)$/.exec(pattern) : null;
  return slashes ? new RegExp(slashes[1]!, slashes[2]) : new RegExp(pattern);
}

/** Every name an expression may use, each with a dummy value: rendering against these checks a template. */
const DUMMY_DATE = new Date(0);
const GLOBAL_NAMES: TemplateContext = {
  branch: '',
  tag: '',
  sha: '',
  base_ref: '',
  is_default_branch: 'false',
  is_not_default_branch: 'true',
  ...dateHelpers(DUMMY_DATE, DUMMY_DATE),
};
const SEMVER_NAMES: TemplateContext = {
  version: '',
  major: 0,
  minor: 0,
  patch: 0,
  prerelease: [],
  build: [],
  raw: '',
};
const PEP440_NAMES: TemplateContext = { raw: '', version: '', major: '', minor: '', patch: '' };
const SCHEDULE_NAMES: TemplateContext = dateHelpers(DUMMY_DATE, DUMMY_DATE);

/** Checks a template's names, helper attributes and time zones without the event it will meet. */
export function checkTemplate(text: string, names: TemplateContext = GLOBAL_NAMES): void {
  render(text, names);
}

/**
 * Checks everything a rule will evaluate on some event, so a typo in a tag-only pattern or a broken
 * regex fails on every run instead of on the first release.
 */
function checkRule(rule: TagRule): void {
  const { attrs, source } = rule;
  for (const attr of ['value', 'prefix', 'suffix', 'enable'] as const) {
    if (attrs[attr] !== undefined) checkTemplate(attrs[attr], GLOBAL_NAMES);
  }
  if (rule.type === 'semver') checkTemplate(attrs.pattern!, SEMVER_NAMES);
  if (rule.type === 'pep440') checkTemplate(attrs.pattern!, PEP440_NAMES);
  if (rule.type === 'schedule') checkTemplate(attrs.pattern!, SCHEDULE_NAMES);
  const regex = (text: string, slashes: boolean, attr: string): RegExp => {
    try {
      return patternRegExp(text, slashes);
    } catch (error) {
      throw new ExpressionError(
        `${attr} '${text}' in '${source}' is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
      );
    }
  };
  // Capturing groups in a regex: the empty alternative always matches, with every group undefined.
  const groups = (re: RegExp): number => new RegExp(`${re.source}|`).exec('')!.length - 1;
  // A group the pattern lacks is left to evaluation, where metadata-action warns and gives no tag.
  if (rule.type === 'match') regex(attrs.pattern!, true, 'pattern');
  if ((rule.type === 'semver' || rule.type === 'pep440') && attrs.match) {
    if (groups(regex(attrs.match, false, 'match')) < 1)
      throw new ExpressionError(
        `match '${attrs.match}' in '${source}' needs a capturing group: the version is group 1`,
      );
  }
}

/** Parses every rule (the defaults when there are none) and orders them by priority, highest first. */
export function parseTagRules(lines: readonly string[]): TagRule[] {
  const rules = (lines.length ? lines : DEFAULT_TAG_RULES).map(parseTagRule);
  // Array.prototype.sort is stable, as the order among equal priorities must be.
  return rules.sort((a, b) => Number(b.attrs.priority) - Number(a.attrs.priority) || 0);
}

export function parseFlavor(lines: readonly string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  for (const line of lines) {
    let onLatestFor: 'prefix' | 'suffix' | undefined;
    for (const field of splitFields(line)) {
      const { key, value } = keyValue(field);
      const plain = value.split('=')[0]!.trim();
      switch (key) {
        case 'latest':
          if (!['auto', 'true', 'false'].includes(plain))
            throw new ExpressionError(`latest=${plain} in '${line}' is not auto, true or false`);
          flavor.latest = plain as Flavor['latest'];
          break;
        case 'prefix':
          checkTemplate(plain);
          flavor.prefix = plain;
          onLatestFor = 'prefix';
          break;
        case 'suffix':
          checkTemplate(plain);
          flavor.suffix = plain;
          onLatestFor = 'suffix';
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(plain))
            throw new ExpressionError(`onlatest=${plain} in '${line}' is not true or false`);
          if (onLatestFor === 'prefix') flavor.prefixLatest = plain === 'true';
          if (onLatestFor === 'suffix') flavor.suffixLatest = plain === 'true';
          break;
        case undefined:
          throw new ExpressionError(`'${field.trim()}' in '${line}' is not key=value`);
        default:
          throw new ExpressionError(
            `unknown flavor entry '${key}' in '${line}'; use latest, prefix, suffix or onlatest`,
          );
      }
    }
  }
  return flavor;
}

/** `images`: one per line (`name=...,enable=...` or a bare name); a single line may list names with commas. */
export function parseImages(lines: readonly string[]): ImageEntry[] {
  if (lines.length === 1) {
    const fields = splitFields(lines[0]!);
    if (fields.every((f) => !f.includes('=')))
      return fields
        .map((f) => f.trim())
        .filter(Boolean)
        .map((name) => ({ name, enable: true }));
  }
  return lines.map((line) => {
    const image: ImageEntry = { name: '', enable: true };
    for (const field of splitFields(line)) {
      const { key, value } = keyValue(field);
      const plain = value.split('=')[0]!.trim();
      if (key === undefined) image.name = value;
      else if (key === 'name') image.name = plain;
      else if (key === 'enable') {
        if (!['true', 'false'].includes(plain))
          throw new ExpressionError(`enable=${plain} in '${line}' is not true or false`);
        image.enable = plain === 'true';
      } else throw new ExpressionError(`unknown image attribute '${key}' in '${line}'; use name or enable`);
    }
    if (!image.name) throw new ExpressionError(`no image name in '${line}'`);
    return image;
  });
}
