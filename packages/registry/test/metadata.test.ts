import { describe, expect, test } from '@jest/globals';
import {
  computeMetadata,
  ExpressionError,
  gitContextFromRun,
  inputList,
  parseFlavor,
  parseImages,
  parseTagRules,
  repoInfoFromRun,
  type RunFacts,
} from '@deploy-actions/registry/metadata';

// Tables of (event, inputs) -> tags in docker/metadata-action's semantics; the expected values were
// checked against metadata-action's own implementation for the same events.
const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const PR_HEAD = '3370e228f2209994d57af4427fe64e71bb79ac96';
const NOW = new Date('2020-01-10T00:30:00.000Z');
const repository = {
  name: 'Hello-World',
  description: 'This your first repo!',
  html_url: 'https://github.com/octocat/Hello-World',
  default_branch: 'master',
  license: { spdx_id: 'MIT' },
};

const events: Record<string, RunFacts> = {
  pushMaster: {
    eventName: 'push',
    ref: 'refs/heads/master',
    sha: SHA,
    event: { repository, head_commit: { id: SHA, timestamp: '2020-01-09T12:00:00+01:00' } },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  pushDev: {
    eventName: 'push',
    ref: 'refs/heads/dev',
    sha: SHA,
    event: { repository },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  pushSlash: {
    eventName: 'push',
    ref: 'refs/heads/feature/Login_Form#2',
    sha: SHA,
    event: { repository },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  tag: {
    eventName: 'push',
    ref: 'refs/tags/v1.1.1',
    sha: SHA,
    event: { repository, base_ref: 'refs/heads/master' },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  tagPre: {
    eventName: 'push',
    ref: 'refs/tags/v2.0.8-beta.67',
    sha: SHA,
    event: { repository },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  tagPep: {
    eventName: 'push',
    ref: 'refs/tags/1.2.3rc2',
    sha: SHA,
    event: { repository },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  tagOther: {
    eventName: 'push',
    ref: 'refs/tags/release1',
    sha: SHA,
    event: { repository },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  pr: {
    eventName: 'pull_request',
    ref: 'refs/pull/15/merge',
    sha: 'a9c8c5828b91be19d9728548b24759e352367ef1',
    event: { repository, number: 15, pull_request: { head: { sha: PR_HEAD }, base: { ref: 'master' } } },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  prTarget: {
    eventName: 'pull_request_target',
    ref: 'refs/heads/master',
    sha: SHA,
    event: { repository, number: 8, pull_request: { head: { sha: PR_HEAD }, base: { ref: 'master' } } },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  schedule: {
    eventName: 'schedule',
    ref: 'refs/heads/master',
    sha: SHA,
    event: { schedule: '0 0 * * *' },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  dispatchDev: {
    eventName: 'workflow_dispatch',
    ref: 'refs/heads/dev',
    sha: SHA,
    event: { repository, inputs: {} },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
  dispatchMaster: {
    eventName: 'workflow_dispatch',
    ref: 'refs/heads/master',
    sha: SHA,
    event: { repository, inputs: {} },
    repository: 'octocat/Hello-World',
    serverUrl: 'https://github.com',
  },
};

interface Case {
  event: keyof typeof events;
  tags?: string[];
  flavor?: string[];
  images?: string[];
  prHeadSha?: boolean;
  expected: string[];
}

function run(c: Omit<Case, 'expected'> & { labels?: string[] }) {
  const facts = events[c.event]!;
  return computeMetadata(
    {
      images: parseImages(c.images ?? ['org/App']),
      tags: parseTagRules(c.tags ?? []),
      flavor: parseFlavor(c.flavor ?? []),
      labels: c.labels ?? [],
      annotations: [],
    },
    gitContextFromRun(facts, { prHeadSha: c.prHeadSha ?? false, now: NOW }),
    repoInfoFromRun(facts),
    NOW,
  );
}

const semverRules = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=ref,event=branch',
  'type=sha',
];

const cases: Record<string, Case> = {
  // push
  'push: defaults tag the branch': { event: 'pushDev', expected: ['org/app:dev'] },
  'push: branch + sha': {
    event: 'pushDev',
    tags: ['type=ref,event=branch', 'type=sha'],
    expected: ['org/app:dev', 'org/app:sha-860c190'],
  },
  'push: long sha with a custom prefix': {
    event: 'pushDev',
    tags: ['type=sha,format=long,prefix='],
    expected: [`org/app:${SHA}`],
  },
  'push: semver rules give nothing on a branch': {
    event: 'pushMaster',
    tags: semverRules,
    expected: ['org/app:master', 'org/app:sha-860c190'],
  },
  'push: edge on the default branch only': {
    event: 'pushMaster',
    tags: ['type=edge', 'type=ref,event=branch'],
    expected: ['org/app:edge', 'org/app:master'],
  },
  'push: edge skipped off the default branch': { event: 'pushDev', tags: ['type=edge'], expected: [] },
  'push: latest from a raw rule on the default branch': {
    event: 'pushMaster',
    tags: ['type=raw,value=latest,enable={{is_default_branch}}', 'type=sha'],
    expected: ['org/app:latest', 'org/app:sha-860c190'],
  },
  'push: the same rule off the default branch': {
    event: 'pushDev',
    tags: ['type=raw,value=latest,enable={{is_default_branch}}', 'type=sha'],
    expected: ['org/app:sha-860c190'],
  },
  'push: branch names are sanitised': { event: 'pushSlash', expected: ['org/app:feature-Login_Form-2'] },
  'push: expressions in values, prefix and suffix': {
    event: 'pushDev',
    tags: ["type=raw,value={{branch}}-{{sha}},suffix=-{{date 'YYYYMMDD'}}"],
    expected: ['org/app:dev-860c190-20200110'],
  },
  'push: flavor prefix and suffix, latest forced': {
    event: 'pushDev',
    tags: ['type=ref,event=branch'],
    flavor: ['latest=true', 'prefix=foo-', 'suffix=-bar,onlatest=true'],
    expected: ['org/app:foo-dev-bar', 'org/app:latest-bar'],
  },
  'push: priority orders the tags': {
    event: 'pushDev',
    tags: ['type=sha', 'type=raw,value=first,priority=2000'],
    expected: ['org/app:first', 'org/app:sha-860c190'],
  },
  'push: several images, upper case lowered': {
    event: 'pushDev',
    images: [
      'ghcr.io/Acme/Shop',
      'name=docker.io/acme/shop,enable=false',
      'name=123456789012.dkr.ecr.us-east-1.amazonaws.com/shop',
    ],
    tags: ['type=ref,event=branch'],
    expected: ['ghcr.io/acme/shop:dev', '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:dev'],
  },
  // tag
  'tag: defaults tag the git tag and latest': { event: 'tag', expected: ['org/app:v1.1.1', 'org/app:latest'] },
  'tag: semver patterns': {
    event: 'tag',
    tags: semverRules,
    expected: ['org/app:1.1.1', 'org/app:1.1', 'org/app:1', 'org/app:sha-860c190', 'org/app:latest'],
  },
  'tag: a prerelease keeps only its version and no latest': {
    event: 'tagPre',
    tags: semverRules,
    expected: ['org/app:2.0.8-beta.67', 'org/app:sha-860c190'],
  },
  'tag: {{raw}} keeps the v': {
    event: 'tag',
    tags: ['type=semver,pattern={{raw}}'],
    expected: ['org/app:v1.1.1', 'org/app:latest'],
  },
  'tag: latest=false': {
    event: 'tag',
    tags: ['type=semver,pattern={{version}}'],
    flavor: ['latest=false'],
    expected: ['org/app:1.1.1'],
  },
  'tag: pep440 prerelease': {
    event: 'tagPep',
    tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['org/app:1.2.3rc2'],
  },
  'tag: match with a group': {
    event: 'tag',
    tags: ['type=match,pattern=v(\\d+\\.\\d+),group=1'],
    expected: ['org/app:1.1', 'org/app:latest'],
  },
  'tag: not a semver gives nothing from semver rules': {
    event: 'tagOther',
    tags: ['type=semver,pattern={{version}}'],
    expected: [],
  },
  'tag: base_ref expression': {
    event: 'tag',
    tags: ['type=raw,value={{base_ref}}-{{tag}}'],
    expected: ['org/app:master-v1.1.1'],
  },
  // pull requests
  'pr: defaults tag pr-N': { event: 'pr', expected: ['org/app:pr-15'] },
  'pr: sha is the merge commit by default': {
    event: 'pr',
    tags: ['type=ref,event=pr', 'type=sha'],
    expected: ['org/app:pr-15', 'org/app:sha-a9c8c58'],
  },
  'pr: sha is the head commit with prHeadSha': {
    event: 'pr',
    tags: ['type=ref,event=pr', 'type=sha'],
    prHeadSha: true,
    expected: ['org/app:pr-15', 'org/app:sha-3370e22'],
  },
  'pr: branch rules give nothing': { event: 'pr', tags: ['type=ref,event=branch', 'type=edge'], expected: [] },
  'pr: pull_request_target uses the PR merge ref': {
    event: 'prTarget',
    tags: ['type=ref,event=pr'],
    expected: ['org/app:pr-8'],
  },
  // schedule
  'schedule: defaults give nightly and the branch': {
    event: 'schedule',
    expected: ['org/app:nightly', 'org/app:master'],
  },
  'schedule: date pattern in a time zone': {
    event: 'schedule',
    tags: ["type=schedule,pattern={{date 'YYYYMMDD-HHmm' tz='Asia/Tokyo'}}"],
    expected: ['org/app:20200110-0930'],
  },
  'schedule: the scheduled branch counts as default': {
    event: 'schedule',
    tags: ['type=schedule', 'type=raw,value=stable,enable={{is_default_branch}}'],
    expected: ['org/app:nightly', 'org/app:stable'],
  },
  // workflow_dispatch
  'workflow_dispatch: branch like a push': {
    event: 'dispatchDev',
    tags: ['type=ref,event=branch', 'type=sha'],
    expected: ['org/app:dev', 'org/app:sha-860c190'],
  },
  'workflow_dispatch: default branch': {
    event: 'dispatchMaster',
    tags: ['type=raw,value=latest,enable={{is_default_branch}}', 'type=schedule'],
    expected: ['org/app:latest'],
  },
};

describe('tags like docker/metadata-action', () => {
  test.each(Object.entries(cases))('%s', (_name, c) => {
    expect(run(c).tags).toEqual(c.expected);
  });
});

describe('labels', () => {
  test('OCI labels from the repository and the run, sorted, with custom ones after expansion', () => {
    const meta = run({
      event: 'tag',
      tags: ['type=semver,pattern={{version}}'],
      labels: ['maintainer=ops', 'org.opencontainers.image.title=Shop {{tag}}'],
    });
    expect(meta.labels).toEqual([
      'maintainer=ops',
      'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
      'org.opencontainers.image.description=This your first repo!',
      'org.opencontainers.image.licenses=MIT',
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/octocat/Hello-World',
      'org.opencontainers.image.title=Shop v1.1.1',
      'org.opencontainers.image.url=https://github.com/octocat/Hello-World',
      'org.opencontainers.image.version=1.1.1',
    ]);
  });

  test('without a repository in the event, the run variables fill in', () => {
    const meta = run({ event: 'schedule' });
    expect(meta.labels).toContain('org.opencontainers.image.source=https://github.com/octocat/Hello-World');
    expect(meta.labels).toContain('org.opencontainers.image.title=Hello-World');
  });

  test('PR builds label the head commit', () => {
    expect(run({ event: 'pr', prHeadSha: true }).labels).toContain(`org.opencontainers.image.revision=${PR_HEAD}`);
  });
});

describe('list inputs read as metadata-action reads them (Util.getInputList, then each entry)', () => {
  test('comments, blank lines, and quotes around a whole field removed before the entry is parsed', () => {
    expect(inputList('  type=ref,event=branch\n# a comment\n\n   \ntype=raw,"value=a,b"\nx#y\n')).toEqual([
      'type=ref,event=branch',
      'type=raw,value=a,b',
      'x#y',
    ]);
  });

  test('so a quoted comma in a tag rule splits the entry, as in the action (its tables skip this step)', () => {
    const [rule] = inputList('type=match,"pattern=^release\\d{1,2}"');
    expect(rule).toBe('type=match,pattern=^release\\d{1,2}');
    const meta = run({ event: 'tagOther', tags: [rule!] });
    expect(meta.tags).toEqual([]);
    expect(meta.warnings).toEqual([
      "'type=match,pattern=^release\\d{1,2}' gave no tag: ^release\\d{1 does not match 2}",
    ]);
  });

  test('an unclosed quote names the input', () => {
    expect(() => inputList('type=raw,"value=x')).toThrow(new ExpressionError('unclosed quote in the input'));
  });
});

describe('date formats render as moment renders them in metadata-action, or are refused', () => {
  // NOW is 2020-01-10T00:30:00Z; in Tokyo it is 09:30 on the same day (a Friday, day 10 of the year).
  test.each([
    ["{{date 'X-x' tz='Asia/Tokyo'}}", '1578616200-1578616200000'],
    ["{{date 'DDD-DDDD-E-e-Q-Do-W-GGGG' tz='Asia/Tokyo'}}", '10-010-5-5-1-10th-2-2020'],
    ["{{date 'YYYYMMDD-hhmmss A' tz='America/New_York'}}", '20200109-073000-PM'],
    ["{{date '[v]YYYY.MM LT'}}", 'v2020.01-12-30-AM'],
    ['{{date YYYY}}', '2020-01-10T00-30-00Z'],
  ])('%s', (expression, tag) => {
    expect(run({ event: 'pushDev', tags: [`type=raw,value=${expression}`] }).tags).toEqual([`org/app:${tag}`]);
  });

  test.each([
    ["type=raw,value={{date 'YYYY z'}}", /date format 'z' in 'YYYY z' is not supported/],
    ["type=raw,value={{date 'N'}}", /date format 'N' in 'N' is not supported/],
    ['type=raw,value={{date}}', /a date expression needs a format/],
    ["type=raw,value={{commit_date tz='UTC'}}", /a date expression needs a format/],
  ])('%s is refused when read', (rule, message) => {
    expect(() => parseTagRules([rule])).toThrow(message);
  });
});

describe('why a rule gave no tag', () => {
  test('a non-semver tag says so', () => {
    expect(run({ event: 'tagOther', tags: ['type=semver,pattern={{version}}'] }).warnings).toEqual([
      "'type=semver,pattern={{version}}' gave no tag: release1 is not a valid semantic version",
    ]);
  });
});

describe('invalid expressions fail with a message naming them', () => {
  test.each([
    ['type=semvr,pattern={{version}}', /unknown tag type 'semvr'/],
    ['type=semver', /needs a pattern attribute/],
    ['type=ref', /needs a event/],
    ['type=ref,event=push', /event 'push' .* is not one of branch, tag, pr/],
    ['type=sha,format=medium', /format 'medium'/],
    ['type=match,pattern=x,group=one', /group 'one'/],
    ['type=raw,"value=unclosed', /unclosed quote/],
    ['type=raw,value=a"b', /quote in the middle/],
    // Checked when read, on every event: these rules would only be evaluated on a tag push.
    [
      'type=semver,pattern={{versio}}',
      /unknown expression '\{\{versio\}\}' in '\{\{versio\}\}'; use one of version, major/,
    ],
    ['type=pep440,pattern={{major}}.{{minr}}', /unknown expression '\{\{minr\}\}'/],
    ["type=schedule,pattern={{date 'YYYYMMDD' tz='Mars/Olympus'}}", /unknown time zone 'Mars\/Olympus'/],
    [
      'type=schedule,pattern=nightly-{{branch}}',
      /unknown expression '\{\{branch\}\}' in 'nightly-\{\{branch\}\}'; use one of date, commit_date$/,
    ],
    [
      'type=match,pattern=[',
      /^pattern '\[' in 'type=match,pattern=\[' is not a valid regular expression: \/\[\/: Unterminated character class$/,
    ],
    ['type=match,pattern=/v(\\d+/i', /pattern '\/v\(\\d\+\/i' .* is not a valid regular expression/],
    ['type=match,pattern=/v\\d/q', /is not a valid regular expression: Invalid flags/],
    ['type=semver,pattern={{version}},match=v\\d+', /needs a capturing group: the version is group 1/],
    ['type=semver,pattern={{version}},match=(', /match '\(' .* is not a valid regular expression/],
    ['type=raw,value={{sha}},prefix={{brnach}}-', /unknown expression '\{\{brnach\}\}'/],
    ['type=sha,priority=high', /priority 'high' .* is not a whole number/],
  ])('%s', (rule, message) => {
    expect(() => parseTagRules([rule])).toThrow(ExpressionError);
    expect(() => parseTagRules([rule])).toThrow(message);
  });

  test.each([
    ['type=raw,value={{brnach}}', /unknown expression '\{\{brnach\}\}'/],
    ['type=raw,value=x,enable=yes', /gave 'yes', not true or false/],
    ["type=raw,value={{date 'YYYY' zone='UTC'}}", /unknown date attribute 'zone'/],
  ])('%s fails when evaluated', (rule, message) => {
    expect(() => run({ event: 'pushDev', tags: [rule] })).toThrow(message);
  });

  test('rules that pass the checks keep working', () => {
    expect(run({ event: 'tag', tags: ['type=match,pattern=/V(\\d+)/i,group=1'] }).tags).toEqual([
      'org/app:1',
      'org/app:latest',
    ]);
    expect(run({ event: 'tag', tags: ['type=semver,pattern={{version}},match=v(\\d.*)'] }).tags).toEqual([
      'org/app:1.1.1',
      'org/app:latest',
    ]);
  });

  test('flavor and images', () => {
    expect(() => parseFlavor(['prefix={{brnach}}-'])).toThrow(/unknown expression '\{\{brnach\}\}'/);
    expect(() => parseFlavor(['latest=sometimes'])).toThrow(/latest=sometimes/);
    expect(() => parseFlavor(['colour=blue'])).toThrow(/unknown flavor entry 'colour'/);
    expect(() => parseImages(['name=a,enable=maybe', 'b'])).toThrow(/enable=maybe/);
  });
});
