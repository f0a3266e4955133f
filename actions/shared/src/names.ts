// The grammar of every name that enters a protocol (a runtime-API command, an API path, a config
// file), checked when inputs are read so a name can never carry a second command or another path.
import { InputError } from '@deploy-actions/core/runner';

interface Grammar {
  pattern: RegExp;
  maxLength: number;
  /** What the fix says: the rule, in words. */
  rule: string;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

export const GRAMMARS = {
  // HAProxy's configuration manual, section 2.3: "upper and lower case letters, digits, '-' (dash),
  // '_' (underscore), '.' (dot) and ':' (colon)". A space or ';' would start another runtime-API command.
  haproxy: {
    pattern: /^[A-Za-z0-9_.:-]+$/,
    maxLength: 100,
    rule: "letters, digits, '-', '_', '.' and ':' (HAProxy's name characters)",
  },
  // An nginx upstream name is one token of the config file: no space, quote, ';', '{', '}' or '#'.
  nginxName: {
    pattern: /^[A-Za-z0-9_.:-]+$/,
    maxLength: 100,
    rule: "letters, digits, '-', '_', '.' and ':'",
  },
  // An nginx `server` address: host:port, [ipv6]:port, or unix:/path; nothing that could end the directive.
  nginxAddress: {
    pattern: /^(unix:\/[^\s;{}'"#]+|[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?)$/,
    maxLength: 255,
    rule: 'host:port, [ipv6]:port or unix:/path',
  },
  // Kubernetes object names (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/).
  dns1123Subdomain: {
    pattern: new RegExp(`^${LABEL}(\\.${LABEL})*$`),
    maxLength: 253,
    rule: "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (a DNS-1123 subdomain)",
  },
  dns1123Label: {
    pattern: new RegExp(`^${LABEL}$`),
    maxLength: 63,
    rule: "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 (a DNS-1123 label)",
  },
  dns1035Label: {
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    maxLength: 63,
    rule: "lower-case letters, digits and '-', starting with a letter, at most 63 (a DNS-1035 label)",
  },
  // Cloud Run: "only lowercase alphanumeric characters and dashes, cannot begin or end with a dash,
  // and cannot be longer than 49 characters"; it must begin with a letter.
  cloudRunService: {
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    maxLength: 49,
    rule: "lower-case letters, digits and '-', starting with a letter, at most 49",
  },
  gcpRegion: { pattern: /^[a-z]+(-[a-z]+)*\d+$/, maxLength: 40, rule: 'a region id such as europe-west1' },
  // Project ids: 6 to 30 lower-case letters, digits and '-', starting with a letter; legacy ones carry a domain prefix.
  gcpProject: {
    pattern: /^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/,
    maxLength: 100,
    rule: "a project id: 6 to 30 lower-case letters, digits and '-', starting with a letter",
  },
  // PostgreSQL identifiers as the engine writes them unquoted: name or schema.name, 63 bytes each.
  sqlTable: {
    pattern: /^([A-Za-z_][\w$]{0,62}\.)?[A-Za-z_][\w$]{0,62}$/,
    maxLength: 127,
    rule: 'name or schema.name (letters, digits, _; at most 63 each)',
  },
  // A request path: printable ASCII without spaces (what an HTTP request line can carry unescaped).
  httpPath: {
    pattern: /^\/[\x21-\x7e]*$/,
    maxLength: 2048,
    rule: 'a path starting with / (percent-encode spaces and other characters)',
  },
  // A local path or socket address: any characters a file name may hold, except control characters.
  localPath: {
    pattern: /^[^\p{Cc}\p{Cf}]+$/u,
    maxLength: 4096,
    rule: 'a path of at most 4096 characters, without control characters',
  },
  // An image reference (registry/repository[:tag][@digest]); it travels to APIs and commands as one value.
  imageReference: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/,
    maxLength: 1024,
    rule: 'an image reference such as registry/repo@sha256:… or registry/repo:tag',
  },
  // ECS cluster, service and container names; clusters and services may also be given as ARNs.
  ecsName: {
    pattern: /^([A-Za-z0-9_-]+|arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:[a-z-]+\/[A-Za-z0-9_/-]+)$/,
    maxLength: 1600,
    rule: "letters, digits, '-' and '_' (or the resource's ARN)",
  },
  // A Dockerfile stage name (FROM ... AS name), as BuildKit accepts it.
  buildStage: {
    pattern: /^[A-Za-z][A-Za-z0-9_.-]*$/,
    maxLength: 128,
    rule: "a stage name: a letter, then letters, digits, '_', '.' and '-'",
  },
  // A registry host with an optional port, as in an image reference.
  registryHost: {
    pattern: /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/,
    maxLength: 255,
    rule: 'a registry host such as ghcr.io or registry.example.com:5000',
  },
  // A bare host name (RFC 1123), as compared against a token realm's host.
  hostName: {
    pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
    maxLength: 253,
    rule: 'bare host names such as auth.example.com',
  },
  // A build platform as buildx and buildah take it: os/arch[/variant].
  platform: {
    pattern: /^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_.]+)?$/,
    maxLength: 255,
    rule: 'os/arch[/variant], e.g. linux/amd64,linux/arm64',
  },
} satisfies Record<string, Grammar>;

/** The value itself when it follows the grammar; otherwise an InputError naming the input and the rule. */
export function checkName(input: string, value: string, grammar: keyof typeof GRAMMARS): string {
  const { pattern, maxLength, rule }: Grammar = GRAMMARS[grammar];
  if (value.length > maxLength || !pattern.test(value))
    throw new InputError(input, `'${value}' is not a valid name here`, `use ${rule}`);
  return value;
}

/** checkName for an optional value. */
export function checkOptionalName(
  input: string,
  value: string | undefined,
  grammar: keyof typeof GRAMMARS,
): string | undefined {
  return value === undefined ? undefined : checkName(input, value, grammar);
}
