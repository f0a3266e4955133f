import * as semver from 'semver';
import * as pep440 from '@renovatebot/pep440';
import { ExpressionError } from './fields';
import { type Flavor, type ImageEntry, patternRegExp, type TagRule } from './expressions';
import { isRawStatement, render, type TemplateContext } from './template';
import { dateHelpers } from './dates';

/** What the tags and labels are computed from: the workflow run and the repository. */
export interface GitContext {
  eventName: string;
  /** refs/heads/x, refs/tags/x or refs/pull/N/merge. */
  ref: string;
  sha: string;
  /** The event payload (GITHUB_EVENT_PATH). */
  payload: Record<string, unknown>;
  commitDate: Date;
}

export interface RepoInfo {
  name: string;
  description: string;
  htmlUrl: string;
  license: string;
  defaultBranch: string;
}

export interface MetadataInput {
  images: readonly ImageEntry[];
  tags: readonly TagRule[];
  flavor: Flavor;
  /** Extra `key=value` labels and annotations; expressions allowed. */
  labels: readonly string[];
  annotations: readonly string[];
  /** Length of {{sha}} and type=sha,format=short (DOCKER_METADATA_SHORT_SHA_LENGTH); 7 by default. */
  shortShaLength?: number;
}

export interface Version {
  main: string | undefined;
  partial: string[];
  latest: boolean;
}

export interface Metadata {
  version: Version;
  /** image:tag for every enabled image, in metadata-action's order. */
  tags: string[];
  /** The tags without image names. */
  tagNames: string[];
  /** Lower-cased image names (enabled ones). */
  images: string[];
  /** `key=value`, sorted by key. */
  labels: string[];
  annotations: string[];
  /** Why a rule produced no tag (not a tag ref, not a valid semver...), for the log. */
  notes: string[];
  /** What metadata-action warns about: a value that is not a version, a pattern that does not match. */
  warnings: string[];
}

type Context = GitContext & { now: Date };

/**
 * Computes the tags, labels and annotations docker/metadata-action would for the same event and
 * inputs. Pure: the clock and the event come in, so tests pin both.
 */
export function computeMetadata(input: MetadataInput, git: GitContext, repo: RepoInfo, now: Date): Metadata {
  const ctx: Context = { ...git, now };
  const notes: string[] = [];
  const warnings: string[] = [];
  const shortSha = (sha: string): string =>
    input.shortShaLength !== undefined && input.shortShaLength >= sha.length
      ? sha
      : sha.slice(0, input.shortShaLength ?? 7);
  const globals = globalContext(ctx, shortSha);
  const expand = (text: string): string => render(text, globals);
  const version: { main: string | undefined; partial: string[]; latest: boolean | undefined } = {
    main: undefined,
    partial: [],
    latest: undefined,
  };
  const latestFor = (auto: boolean): boolean =>
    input.flavor.latest === 'auto' ? auto : input.flavor.latest === 'true';

  const withAffixes = (value: string, rule: TagRule): string => {
    let out = value;
    if (Object.prototype.hasOwnProperty.call(rule.attrs, 'prefix')) out = `${expand(rule.attrs.prefix!)}${out}`;
    else if (input.flavor.prefix) out = `${expand(input.flavor.prefix)}${out}`;
    if (Object.prototype.hasOwnProperty.call(rule.attrs, 'suffix')) out = `${out}${expand(rule.attrs.suffix!)}`;
    else if (input.flavor.suffix) out = `${out}${expand(input.flavor.suffix)}`;
    return out;
  };
  const add = (value: string, latest: boolean): void => {
    if (!value) return;
    const tag = sanitizeTag(value);
    if (version.main === undefined) version.main = tag;
    else if (tag !== version.main) version.partial.push(tag);
    version.latest ??= latest;
  };
  const isTagRef = /^refs\/tags\//.test(ctx.ref);
  const refTag = ctx.ref.replace(/^refs\/tags\//, '');
  const refBranch = /^refs\/heads\//.test(ctx.ref) ? ctx.ref.replace(/^refs\/heads\//, '') : undefined;

  for (const rule of input.tags) {
    const enabled = expand(rule.attrs.enable!);
    if (enabled !== 'true' && enabled !== 'false')
      throw new ExpressionError(`enable=${rule.attrs.enable} in '${rule.source}' gave '${enabled}', not true or false`);
    if (enabled === 'false') continue;
    const versionSource = (): string | undefined => {
      if (!isTagRef && !rule.attrs.value) {
        notes.push(`'${rule.source}' gave no tag: ${ctx.ref || 'the ref'} is not a tag and the rule has no value`);
        return undefined;
      }
      return rule.attrs.value ? expand(rule.attrs.value) : refTag;
    };
    switch (rule.type) {
      case 'schedule': {
        if (!/schedule/.test(ctx.eventName)) break;
        add(withAffixes(render(rule.attrs.pattern!, dateHelpers(ctx.now, ctx.commitDate)), rule), latestFor(false));
        break;
      }
      case 'semver':
      case 'pep440': {
        let raw = versionSource();
        if (raw === undefined) break;
        if (rule.attrs.match) {
          const m = patternRegExp(rule.attrs.match, false).exec(raw);
          if (!m) warnings.push(`'${rule.source}': ${rule.attrs.match} does not match ${raw}`);
          else raw = m[1]!;
        }
        raw = raw.replace(/\//g, '-');
        const out = rule.type === 'semver' ? semverTag(raw, rule) : pep440Tag(raw, rule);
        if (!out) {
          warnings.push(
            `'${rule.source}' gave no tag: ${raw} is not a valid ${rule.type === 'semver' ? 'semantic version' : 'PEP 440 version'}`,
          );
          break;
        }
        add(withAffixes(out.value, rule), latestFor(out.release));
        break;
      }
      case 'match': {
        const raw = versionSource();
        if (raw === undefined) break;
        const m = raw.match(patternRegExp(rule.attrs.pattern!, true));
        if (!m) {
          warnings.push(`'${rule.source}' gave no tag: ${rule.attrs.pattern} does not match ${raw}`);
          break;
        }
        const group = m[Number(rule.attrs.group)];
        if (group === undefined) {
          warnings.push(`'${rule.source}' gave no tag: group ${rule.attrs.group} does not exist`);
          break;
        }
        add(withAffixes(group, rule), latestFor(true));
        break;
      }
      case 'ref': {
        const event = rule.attrs.event;
        if (event === 'branch' && refBranch !== undefined) add(withAffixes(refBranch, rule), latestFor(false));
        else if (event === 'tag' && isTagRef) add(withAffixes(refTag, rule), latestFor(true));
        else if (event === 'pr' && /^refs\/pull\//.test(ctx.ref)) {
          add(withAffixes(ctx.ref.replace(/^refs\/pull\//, '').replace(/\/merge$/, ''), rule), latestFor(false));
        }
        break;
      }
      case 'edge': {
        if (refBranch === undefined) break;
        const branch = rule.attrs.branch || repo.defaultBranch;
        if (branch !== refBranch) break;
        add(withAffixes('edge', rule), latestFor(false));
        break;
      }
      case 'raw':
        add(withAffixes(expand(rule.attrs.value!), rule), latestFor(false));
        break;
      case 'sha': {
        if (!ctx.sha) break;
        add(withAffixes(rule.attrs.format === 'short' ? shortSha(ctx.sha) : ctx.sha, rule), latestFor(false));
        break;
      }
    }
  }

  const final: Version = {
    main: version.main,
    partial: [...new Set(version.partial)],
    latest: version.latest ?? false,
  };
  const images = input.images.filter((i) => i.enable).map((i) => i.name.toLowerCase());
  const tagNames = final.main ? [final.main, ...final.partial] : [];
  if (final.main && final.latest) {
    const f = input.flavor;
    tagNames.push(sanitizeTag(`${f.prefixLatest ? f.prefix : ''}latest${f.suffixLatest ? f.suffix : ''}`));
  }
  const tags = images.length ? images.flatMap((image) => tagNames.map((t) => `${image}:${t}`)) : [...tagNames];
  const oci = [
    `org.opencontainers.image.title=${repo.name}`,
    `org.opencontainers.image.description=${repo.description}`,
    `org.opencontainers.image.url=${repo.htmlUrl}`,
    `org.opencontainers.image.source=${repo.htmlUrl}`,
    `org.opencontainers.image.version=${final.main ?? ''}`,
    `org.opencontainers.image.created=${now.toISOString()}`,
    `org.opencontainers.image.revision=${ctx.sha}`,
    `org.opencontainers.image.licenses=${repo.license}`,
  ];
  const withCustom = (extra: readonly string[]): string[] => {
    const map = new Map<string, string>();
    for (const entry of [...oci, ...extra.map(expand)]) {
      const [key, ...values] = entry.split('=');
      if (values.length > 0) map.set(key!, values.join('='));
    }
    return [...map].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `${k}=${v}`);
  };
  return {
    version: final,
    tags,
    tagNames,
    images,
    labels: withCustom(input.labels),
    annotations: withCustom(input.annotations),
    notes,
    warnings,
  };
}

function semverTag(raw: string, rule: TagRule): { value: string; release: boolean } | undefined {
  if (!semver.valid(raw)) return undefined;
  const parsed = semver.parse(raw, { loose: true })!;
  const fields: TemplateContext = {
    version: parsed.version,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease,
    build: parsed.build,
    raw: parsed.raw,
  };
  if (semver.prerelease(raw)) {
    return {
      value: render(isRawStatement(rule.attrs.pattern!) ? rule.attrs.pattern! : '{{version}}', fields),
      release: false,
    };
  }
  return { value: render(rule.attrs.pattern!, fields), release: true };
}

function pep440Tag(raw: string, rule: TagRule): { value: string; release: boolean } | undefined {
  if (!pep440.valid(raw)) return undefined;
  const explained = pep440.explain(raw)!;
  if (explained.is_prerelease || explained.is_postrelease || explained.is_devrelease) {
    return { value: isRawStatement(rule.attrs.pattern!) ? raw : (pep440.clean(raw) ?? raw), release: false };
  }
  const fields: TemplateContext = {
    raw: () => raw,
    version: () => pep440.clean(raw) ?? raw,
    major: () => String(pep440.major(raw)),
    minor: () => String(pep440.minor(raw)),
    patch: () => String(pep440.patch(raw)),
  };
  return { value: render(rule.attrs.pattern!, fields), release: true };
}

function globalContext(ctx: Context, shortSha: (sha: string) => string): TemplateContext {
  const payload = ctx.payload as {
    base_ref?: string;
    pull_request?: { base?: { ref?: string } };
    repository?: { default_branch?: string };
  };
  const isDefaultBranch = (): string => {
    const branch = ctx.ref.replace(/^refs\/heads\//, '');
    if (!branch) return 'false';
    if (payload.repository?.default_branch === branch) return 'true';
    // These events always run for the last commit on the default branch.
    return /create|discussion|issues|schedule/.test(ctx.eventName) ? 'true' : 'false';
  };
  return {
    branch: () => (/^refs\/heads\//.test(ctx.ref) ? ctx.ref.replace(/^refs\/heads\//, '') : ''),
    tag: () => (/^refs\/tags\//.test(ctx.ref) ? ctx.ref.replace(/^refs\/tags\//, '') : ''),
    sha: () => shortSha(ctx.sha),
    base_ref: () => {
      if (/^refs\/tags\//.test(ctx.ref) && payload.base_ref != null)
        return payload.base_ref.replace(/^refs\/heads\//, '');
      if (/^refs\/pull\//.test(ctx.ref) && payload.pull_request?.base?.ref != null)
        return payload.pull_request.base.ref;
      return '';
    },
    is_default_branch: isDefaultBranch,
    is_not_default_branch: () => (isDefaultBranch() === 'false' ? 'true' : 'false'),
    ...dateHelpers(ctx.now, ctx.commitDate),
  };
}

export function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

/** `key=value` lines (labels, annotations) as a record; the value may hold more '='. */
export function keyValueRecord(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
