/**
 * The Hurl file format (https://hurl.dev), as far as smoke tests need it. Every node keeps its
 * line so failures point at the spec. The `url` checks of the action are built from the same nodes.
 */

/** A string that may hold `{{variable}}` templates, rendered at run time. */
export type Template = string;

export type Value =
  | { kind: 'string'; template: Template }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'regex'; pattern: RegExp };

export type Query =
  | { kind: 'status' }
  | { kind: 'version' }
  | { kind: 'url' }
  | { kind: 'header'; name: Template }
  | { kind: 'jsonpath'; expr: Template }
  | { kind: 'body' }
  | { kind: 'bytes' }
  | { kind: 'duration' }
  | { kind: 'certificate'; field: 'Subject' | 'Issuer' | 'Start-Date' | 'Expire-Date' }
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'variable'; name: string };

export type Filter =
  | { kind: 'count' }
  | { kind: 'nth'; index: number }
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'toInt' }
  | { kind: 'toFloat' }
  | { kind: 'daysAfterNow' }
  | { kind: 'daysBeforeNow' };

export type PredicateOp =
  | '=='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'matches'
  | 'exists'
  | 'isInteger'
  | 'isFloat'
  | 'isNumber'
  | 'isString'
  | 'isBoolean'
  | 'isCollection'
  | 'isEmpty'
  | 'isDate';

export interface Predicate {
  not: boolean;
  op: PredicateOp;
  /** Absent for the unary predicates (exists, isInteger, ...). */
  value?: Value;
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
  /** `redact`: the captured value is a secret, masked everywhere. */
  redact: boolean;
}

export interface KeyValue {
  line: number;
  name: Template;
  value: Template;
}

export interface EntryOptions {
  /** Extra attempts while asserts fail or the request errors (Hurl's `retry`). */
  retry?: number;
  retryIntervalMs?: number;
  insecure?: boolean;
  followRedirects?: boolean;
  maxRedirects?: number;
  delayMs?: number;
  variables: KeyValue[];
}

export type Body =
  { kind: 'json'; line: number; template: Template } | { kind: 'text'; line: number; template: Template };

export interface Request {
  line: number;
  method: string;
  url: Template;
  headers: KeyValue[];
  queryParams: KeyValue[];
  formParams: KeyValue[];
  basicAuth?: { user: Template; password: Template };
  body?: Body;
  options: EntryOptions;
}

export interface Response {
  line: number;
  /** Undefined for `HTTP *`. */
  status?: number;
  /** Response headers written under the status line: implicit equality asserts. */
  headers: KeyValue[];
  captures: Capture[];
  asserts: Assert[];
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
  ) {
    super(`${location}: ${problem}`);
    this.name = 'SpecError';
  }

  static at(file: string, line: number, column: number, problem: string): SpecError {
    return new SpecError(`${file}:${line}:${column}`, problem, file, line);
  }
}
