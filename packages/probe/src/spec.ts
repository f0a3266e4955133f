// The spec side of the package (parsing and templates), importable without the HTTP side so an
// action can validate its inputs before loading anything heavy.
export * from './hurl/ast';
export { parseHurl, parseAssertLines, MAX_SPEC_ERRORS } from './hurl/parse';
export { renderTemplate, type Variables } from './hurl/template';
export { typedVariable, type HurlValue } from './hurl/value';
export { fileProblems } from './hurl/files';
