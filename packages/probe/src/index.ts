export * from './spec';
export { runHurlFile, NOT_READY_STATUSES, type Send, type RunOptions } from './hurl/run';
export { requestHttp2 } from './hurl/http2';
export {
  evaluateAssert,
  evaluateQuery,
  applyFilters,
  BodyCache,
  type ResponseLike,
  type AssertResult,
} from './hurl/evaluate';
export * from './smoke/model';
export { runSmoke, percentile, type SmokeOptions, type SmokeReport } from './smoke/run';
export { summaryMarkdown, junitXml, failureAnnotations } from './smoke/report';
export { urlCheck, hurlCheck, statusMatches, type UrlCheckSpec } from './smoke/checks';
