export * from './spec';
export * from './check';
export { runHurlFile, type RunOptions } from './hurl/run';
export { requestHttp2 } from './hurl/http2';
export {
  evaluateAssert,
  evaluateQuery,
  applyFilters,
  BodyCache,
  type ResponseLike,
  type AssertResult,
} from './hurl/evaluate';
export { summaryMarkdown, junitXml, failureAnnotations } from './smoke/report';
export { urlCheck, hurlCheck, type UrlCheckSpec } from './smoke/checks';
