/**
 * The Hurl file format (https://hurl.dev/docs/grammar.html). Every node keeps its line (and the
 * column where it matters) so failures point at the spec. The `url` checks of the action reuse the
 * assert nodes.
 */

/** A piece of text that may hold `{{expr}}` placeholders, rendered at run time. */
export type TemplatePart = { text: string } | { expr: string; line: number; column: number };
export type Template = TemplatePart[];

/** A literal written in the spec (predicate values, option values). */
export type Literal =
  | { kind: 'string'; template: Template }
  | { kind: 'integer'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'file'; path: Template }
  /** `{{name}}` alone: the variable's own typed value. */
  | { kind: 'placeholder'; template: Template };

export type CertificateField = 'Subject' | 'Issuer' | 'Start-Date' | 'Expire-Date' | 'Serial-Number';

export type Query =
  | { kind: 'status' | 'version' | 'url' | 'ip' | 'body' | 'bytes' | 'duration' | 'sha256' | 'md5' | 'redirects' }
  | { kind: 'header'; name: Template }
  | { kind: 'cookie'; name: Template; attribute?: string }
  | { kind: 'jsonpath' | 'xpath'; expr: Template }
  | { kind: 'certificate'; field: CertificateField }
  | { kind: 'regex'; pattern: RegExp | Template }
  | { kind: 'variable'; name: Template };

export type Filter =
  | {
      kind:
        | 'base64Decode'
        | 'base64Encode'
        | 'base64UrlSafeDecode'
        | 'base64UrlSafeEncode'
        | 'count'
        | 'daysAfterNow'
        | 'daysBeforeNow'
        | 'first'
        | 'htmlEscape'
        | 'htmlUnescape'
        | 'last'
        | 'location'
        | 'toFloat'
        | 'toHex'
        | 'toInt'
        | 'toString'
        | 'urlDecode'
        | 'urlEncode'
        | 'utf8Decode'
        | 'utf8Encode';
      column: number;
    }
  | { kind: 'nth'; index: bigint; column: number }
  | { kind: 'regex'; pattern: RegExp | Template; column: number }
  | { kind: 'jsonpath' | 'xpath'; expr: Template; column: number }
  | { kind: 'replace'; old: Template; replacement: Template; column: number }
  | { kind: 'replaceRegex'; pattern: RegExp | Template; replacement: Template; column: number }
  | { kind: 'split'; separator: Template; column: number }
  | { kind: 'toDate' | 'format' | 'decode' | 'urlQueryParam'; arg: Template; column: number };

export type PredicateOp =
  | '=='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'contains'
  | 'includes'
  | 'startsWith'
  | 'endsWith'
  | 'matches'
  | 'exists'
  | 'isBoolean'
  | 'isCollection'
  | 'isDate'
  | 'isEmpty'
  | 'isFloat'
  | 'isInteger'
  | 'isIpv4'
  | 'isIpv6'
  | 'isIsoDate'
  | 'isList'
  | 'isNumber'
  | 'isObject'
  | 'isString'
  | 'isUuid';

export interface Predicate {
  not: boolean;
  op: PredicateOp;
  /** Absent for the unary predicates (exists, isInteger, ...). */
  value?: Literal;
}

export interface Assert {
  line: number;
  /** The assertion as written, for reports. */
  source: string;
  query: Query;
  filters: Filter[];
  predicate: Predicate;
}

export interface Capture {
  line: number;
  source: string;
  name: string;
  query: Query;
  filters: Filter[];
  /** `redact`: the captured value is a secret, masked everywhere from the moment it is captured. */
  redact: boolean;
}

export interface KeyValue {
  line: number;
  column: number;
  name: Template;
  value: Template;
}

export interface MultipartPart {
  line: number;
  name: Template;
  value: Template;
  /** `file,path;` parts: the file is read from inside the workspace. */
  file?: { path: Template; contentType?: string };
}

export interface OptionValue {
  line: number;
  column: number;
  name: string;
  value: Literal;
}

export type Body =
  | { kind: 'json'; line: number; template: Template }
  | { kind: 'text'; line: number; template: Template }
  | { kind: 'xml'; line: number; template: Template }
  | { kind: 'bytes'; line: number; bytes: Buffer }
  | { kind: 'file'; line: number; path: Template };

export type HttpVersion = 'HTTP' | 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2' | 'HTTP/3';

export interface Request {
  line: number;
  method: string;
  url: Template;
  headers: KeyValue[];
  queryParams: KeyValue[];
  formParams: KeyValue[];
  multipart: MultipartPart[];
  cookies: KeyValue[];
  basicAuth?: KeyValue;
  options: OptionValue[];
  body?: Body;
}

export interface Response {
  line: number;
  version: HttpVersion;
  /** Undefined for `HTTP *`. */
  status?: number;
  /** Response headers written under the status line: implicit asserts. */
  headers: KeyValue[];
  captures: Capture[];
  asserts: Assert[];
  /** The implicit body assert. */
  body?: Body;
}

export interface Entry {
  line: number;
  request: Request;
  response?: Response;
}

export interface HurlFile {
  path: string;
  entries: Entry[];
}

/** A syntax error in a spec: one line, `file:line:column: what is wrong`. */
export class SpecError extends Error {
  constructor(
    readonly location: string,
    readonly problem: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${location}: ${problem}`);
    this.name = 'SpecError';
  }

  static at(file: string, line: number, column: number, problem: string): SpecError {
    return new SpecError(`${file}:${line}:${column}`, problem, file, line, column);
  }
}

/** Every syntax error of one file (up to a cap), so a user fixes them all in one go. */
export class SpecErrors extends Error {
  constructor(readonly errors: SpecError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'SpecErrors';
  }
}

export function templateSource(template: Template): string {
  return template.map((p) => ('text' in p ? p.text : `{{${p.expr}}}`)).join('');
}
