import { ExpressionError } from './fields';
import { keyValueRecord, type Metadata } from './meta';

/** How docker/metadata-action formats its outputs: its sep-* and bake-target inputs and its levels variable. */
export interface OutputFormat {
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  bakeTarget: string;
  /** DOCKER_METADATA_ANNOTATIONS_LEVELS, split at commas. */
  annotationLevels: string[];
}

export const DEFAULT_OUTPUT_FORMAT: OutputFormat = {
  sepTags: '\n',
  sepLabels: '\n',
  sepAnnotations: '\n',
  bakeTarget: 'docker-metadata-action',
  annotationLevels: ['manifest'],
};

/** The four bake definitions metadata-action writes, keyed by the output that names each file. */
export type BakeFiles = Record<'bake-file-tags' | 'bake-file-labels' | 'bake-file-annotations' | 'bake-file', string>;

/** metadata-action's file name for each bake definition (docker-metadata-action-bake[-kind].json). */
export const BAKE_FILE_NAMES: Record<keyof BakeFiles, string> = {
  'bake-file-tags': 'docker-metadata-action-bake-tags.json',
  'bake-file-labels': 'docker-metadata-action-bake-labels.json',
  'bake-file-annotations': 'docker-metadata-action-bake-annotations.json',
  'bake-file': 'docker-metadata-action-bake.json',
};

export interface MetadataOutputs {
  /** The string outputs, in the order metadata-action sets them. */
  values: {
    version: string;
    tags: string;
    'tag-names': string;
    labels: string;
    annotations: string;
    json: string;
  };
  /** The bake definitions' contents; the outputs of those names are the paths of files holding them. */
  bakeFiles: BakeFiles;
}

// buildx's annotation levels (docker buildx build --annotation), optionally for one platform.
const LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]\s]+\])?$/;

/** DOCKER_METADATA_ANNOTATIONS_LEVELS, checked against the levels buildx accepts. */
export function parseAnnotationLevels(value: string | undefined): string[] {
  const levels = (value || 'manifest').split(',');
  for (const level of levels) {
    if (!LEVEL.test(level))
      throw new ExpressionError(
        `'${level}' is not an annotation level; use manifest, index, manifest-descriptor or index-descriptor (comma separated, optionally with [os/arch])`,
      );
  }
  return levels;
}

/**
 * Every output docker/metadata-action sets, byte for byte: the separators, the level prefixes of
 * annotations, the JSON object and the bake definitions (2-space JSON, no final newline; a missing
 * version leaves DOCKER_META_VERSION out, as JSON.stringify does there).
 */
export function metadataOutputs(meta: Metadata, format: OutputFormat): MetadataOutputs {
  const annotations = format.annotationLevels.flatMap((level) => meta.annotations.map((a) => `${level}:${a}`));
  const labels = keyValueRecord(meta.labels);
  const args = { DOCKER_META_IMAGES: meta.images.join(','), DOCKER_META_VERSION: meta.version.main };
  const bake = (definition: Record<string, unknown>): string =>
    JSON.stringify({ target: { [format.bakeTarget]: definition } }, null, 2);
  return {
    values: {
      version: meta.version.main ?? '',
      tags: meta.tags.join(format.sepTags),
      'tag-names': meta.tagNames.join(format.sepTags),
      labels: meta.labels.join(format.sepLabels),
      annotations: annotations.join(format.sepAnnotations),
      json: JSON.stringify({ tags: meta.tags, 'tag-names': meta.tagNames, labels, annotations }),
    },
    bakeFiles: {
      'bake-file-tags': bake({ tags: meta.tags, args }),
      'bake-file-labels': bake({ labels }),
      'bake-file-annotations': bake({ annotations }),
      'bake-file': bake({ tags: meta.tags, labels, args }),
    },
  };
}

/** metadata-action's environment variable for an output: DOCKER_METADATA_OUTPUT_ + NAME (non-word characters as _). */
export function outputVariable(name: string): string {
  return `DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`;
}
