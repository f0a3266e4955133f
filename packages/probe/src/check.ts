// The smoke runner (wait until ready, then assert once) and the status check, without the Hurl engine
// and its libraries (JSONPath, XPath, HTML and XML parsers, cookies): an action that only asks whether
// a URL answers imports this entry, so its bundle carries none of the engine.
export * from './smoke/model';
export { runSmoke, percentile, type SmokeOptions, type SmokeReport } from './smoke/run';
export { statusCheck, statusMatches, NOT_READY_STATUSES, type Send, type StatusCheckSpec } from './smoke/status';
