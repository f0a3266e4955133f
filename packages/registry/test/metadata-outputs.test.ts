// metadata-action's outputs (json, bake files, separators, annotation levels) over the examples of
// its README and test tables (__tests__/meta.test.ts: json01, json03, bakeFile01,
// bakeFileTagsLabels01, sepTags01/02), in its test context: the Hello-World repository record,
// event_push_dev / event_tag_release1 at 860c190 and a clock pinned to 2020-01-10T00:30:00Z.
import { describe, expect, test } from '@jest/globals';
import {
  computeMetadata,
  DEFAULT_OUTPUT_FORMAT,
  ExpressionError,
  gitContextFromRun,
  metadataOutputs,
  outputVariable,
  parseAnnotationLevels,
  parseFlavor,
  parseImages,
  parseTagRules,
  type OutputFormat,
  type RepoInfo,
} from '@deploy-actions/registry/metadata';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const NOW = new Date('2020-01-10T00:30:00.000Z');
const HELLO_WORLD: RepoInfo = {
  name: 'Hello-World',
  description: 'This your first repo!',
  htmlUrl: 'https://github.com/octocat/Hello-World',
  license: 'MIT',
  defaultBranch: 'master',
};
const REFS = { push_dev: 'refs/heads/dev', tag_release1: 'refs/tags/release1' } as const;

function outputs(
  event: keyof typeof REFS,
  inputs: { images?: string[]; tags: string[]; labels?: string[] },
  format: Partial<OutputFormat> = {},
) {
  const git = gitContextFromRun(
    { eventName: 'push', ref: REFS[event], sha: SHA, event: {}, repository: 'docker/repo', serverUrl: 'x' },
    { prHeadSha: false, now: NOW },
  );
  const meta = computeMetadata(
    {
      images: parseImages(inputs.images ?? ['user/app']),
      tags: parseTagRules(inputs.tags),
      flavor: parseFlavor([]),
      labels: inputs.labels ?? [],
      annotations: [],
    },
    git,
    HELLO_WORLD,
    NOW,
  );
  return metadataOutputs(meta, { ...DEFAULT_OUTPUT_FORMAT, ...format });
}

const helloLabels = (version: string) => ({
  'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z',
  'org.opencontainers.image.description': 'This your first repo!',
  'org.opencontainers.image.licenses': 'MIT',
  'org.opencontainers.image.revision': SHA,
  'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
  'org.opencontainers.image.title': 'Hello-World',
  'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
  'org.opencontainers.image.version': version,
});
const withLevel = (level: string, version: string) =>
  Object.entries(helloLabels(version)).map(([k, v]) => `${level}:${k}=${v}`);
const fourTags = ['type=ref,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'];

describe('json output', () => {
  test('json01: a label without = is dropped, foo= is an empty label', () => {
    const out = outputs('push_dev', { tags: fourTags, labels: ['invalid', 'foo='] });
    expect(JSON.parse(out.values.json)).toEqual({
      tags: ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags'],
      'tag-names': ['dev', 'my', 'custom', 'tags'],
      labels: { foo: '', ...helloLabels('dev') },
      annotations: withLevel('manifest', 'dev'),
    });
    // One line, keys in metadata-action's order (labels sorted by key).
    expect(out.values.json).toBe(
      JSON.stringify({
        tags: ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags'],
        'tag-names': ['dev', 'my', 'custom', 'tags'],
        labels: { foo: '', ...helloLabels('dev') },
        annotations: withLevel('manifest', 'dev'),
      }),
    );
  });

  test('json03: a tag event adds latest to tags and tag-names', () => {
    const out = outputs('tag_release1', {
      tags: ['type=ref,event=tag', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
    });
    expect(JSON.parse(out.values.json)).toEqual({
      tags: ['user/app:release1', 'user/app:my', 'user/app:custom', 'user/app:tags', 'user/app:latest'],
      'tag-names': ['release1', 'my', 'custom', 'tags', 'latest'],
      labels: helloLabels('release1'),
      annotations: withLevel('manifest', 'release1'),
    });
  });
});

describe('bake files', () => {
  test('bakeFile01: tags with args, labels, annotations on the levels index,manifest-descriptor', () => {
    const out = outputs(
      'push_dev',
      { tags: fourTags, labels: ['invalid'] },
      { annotationLevels: parseAnnotationLevels('index,manifest-descriptor') },
    );
    const tags = {
      target: {
        'docker-metadata-action': {
          tags: ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags'],
          args: { DOCKER_META_IMAGES: 'user/app', DOCKER_META_VERSION: 'dev' },
        },
      },
    };
    const labels = { target: { 'docker-metadata-action': { labels: helloLabels('dev') } } };
    const annotations = {
      target: {
        'docker-metadata-action': {
          annotations: [...withLevel('index', 'dev'), ...withLevel('manifest-descriptor', 'dev')],
        },
      },
    };
    // Byte for byte what metadata-action writes: JSON.stringify(definition, null, 2), no final newline.
    expect(out.bakeFiles['bake-file-tags']).toBe(JSON.stringify(tags, null, 2));
    expect(out.bakeFiles['bake-file-labels']).toBe(JSON.stringify(labels, null, 2));
    expect(out.bakeFiles['bake-file-annotations']).toBe(JSON.stringify(annotations, null, 2));
    expect(out.values.annotations.split('\n')).toEqual(annotations.target['docker-metadata-action'].annotations);
  });

  test('bakeFileTagsLabels01: tags, labels and args in one target', () => {
    const out = outputs('push_dev', { tags: fourTags, labels: ['invalid'] });
    expect(JSON.parse(out.bakeFiles['bake-file'])).toEqual({
      target: {
        'docker-metadata-action': {
          tags: ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags'],
          labels: helloLabels('dev'),
          args: { DOCKER_META_IMAGES: 'user/app', DOCKER_META_VERSION: 'dev' },
        },
      },
    });
  });

  test('bake-target names the target; no version leaves DOCKER_META_VERSION out, as JSON.stringify does', () => {
    const out = outputs('push_dev', { tags: ['type=ref,event=tag'] }, { bakeTarget: 'meta' });
    expect(JSON.parse(out.bakeFiles['bake-file-tags'])).toEqual({
      target: { meta: { tags: [], args: { DOCKER_META_IMAGES: 'user/app' } } },
    });
    expect(out.values.version).toBe('');
    expect(out.values.tags).toBe('');
  });

  test('several images are joined with commas in DOCKER_META_IMAGES; disabled ones are left out', () => {
    const out = outputs('push_dev', {
      images: ['name=ghcr.io/Acme/App', 'name=acme/app,enable=false', 'name=quay.io/acme/app'],
      tags: ['type=ref,event=branch'],
    });
    expect(JSON.parse(out.bakeFiles['bake-file-tags']).target['docker-metadata-action'].args).toEqual({
      DOCKER_META_IMAGES: 'ghcr.io/acme/app,quay.io/acme/app',
      DOCKER_META_VERSION: 'dev',
    });
  });
});

describe('separators and bare tags', () => {
  test.each([
    ['sepTags01', ' ', 'user/app:dev user/app:my user/app:custom user/app:tags'],
    ['sepTags02', ',', 'user/app:dev,user/app:my,user/app:custom,user/app:tags'],
  ])('%s', (_name, sepTags, expected) => {
    const out = outputs('push_dev', { tags: fourTags }, { sepTags });
    expect(out.values.tags).toBe(expected);
    expect(out.values['tag-names']).toBe(['dev', 'my', 'custom', 'tags'].join(sepTags));
  });

  test('sep-labels and sep-annotations', () => {
    const out = outputs('push_dev', { tags: fourTags }, { sepLabels: ';', sepAnnotations: '|' });
    expect(out.values.labels.split(';')).toHaveLength(8);
    expect(out.values.annotations.split('|')).toEqual(withLevel('manifest', 'dev'));
  });

  test('no images: bare tags', () => {
    const out = outputs('tag_release1', { images: [], tags: ['type=ref,event=tag'] });
    expect(out.values.tags).toBe('release1\nlatest');
    expect(JSON.parse(out.bakeFiles['bake-file-tags']).target['docker-metadata-action']).toEqual({
      tags: ['release1', 'latest'],
      args: { DOCKER_META_IMAGES: '', DOCKER_META_VERSION: 'release1' },
    });
  });
});

describe('environment variables and levels', () => {
  test('each output has its DOCKER_METADATA_OUTPUT_ name', () => {
    expect(
      [
        'version',
        'tags',
        'tag-names',
        'labels',
        'annotations',
        'json',
        'bake-file-tags',
        'bake-file-labels',
        'bake-file-annotations',
        'bake-file',
      ].map(outputVariable),
    ).toEqual([
      'DOCKER_METADATA_OUTPUT_VERSION',
      'DOCKER_METADATA_OUTPUT_TAGS',
      'DOCKER_METADATA_OUTPUT_TAG_NAMES',
      'DOCKER_METADATA_OUTPUT_LABELS',
      'DOCKER_METADATA_OUTPUT_ANNOTATIONS',
      'DOCKER_METADATA_OUTPUT_JSON',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE_TAGS',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE_LABELS',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE_ANNOTATIONS',
      'DOCKER_METADATA_OUTPUT_BAKE_FILE',
    ]);
  });

  test('DOCKER_METADATA_ANNOTATIONS_LEVELS: manifest by default, buildx levels with a platform allowed', () => {
    expect(parseAnnotationLevels(undefined)).toEqual(['manifest']);
    expect(parseAnnotationLevels('manifest,index,index-descriptor,manifest[linux/amd64]')).toEqual([
      'manifest',
      'index',
      'index-descriptor',
      'manifest[linux/amd64]',
    ]);
    expect(() => parseAnnotationLevels('manifest, index')).toThrow(ExpressionError);
    expect(() => parseAnnotationLevels('image')).toThrow(/'image' is not an annotation level/);
  });
});
