// The spec side of the package (parsing and templates), importable without the HTTP side so an
// action can validate its inputs before loading anything heavy.
export * from './hurl/ast';
export { parseHurl, parseAssertLines } from './hurl/parse';
export { renderTemplate } from './hurl/template';
