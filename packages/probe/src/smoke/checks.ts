import type { SecretRegistry } from '@deploy-actions/core';
import type { Assert, HurlFile } from '../hurl/ast';
import { BodyCache, evaluateAssert } from '../hurl/evaluate';
import type { Variables } from '../hurl/template';
import { NOT_READY_STATUSES, runHurlFile, type Send } from '../hurl/run';
import type { AssertionOutcome, SmokeCheck } from './model';
import { errorKind, oneLine } from '@deploy-actions/core';

export interface UrlCheckSpec {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body?: string;
  /** `200`, `200,204`, `2xx`. */
  expectedStatus: string;
  asserts: Assert[];
  variables: Variables;
}

export function statusMatches(expected: string, status: number): boolean {
  return expected
    .split(',')
    .map((s) => s.trim())
    .some((s) => (/^\dxx$/.test(s) ? String(status)[0] === s[0] : Number(s) === status));
}

/** One request to a URL from the action's inputs: its status plus the extra assertions. */
export function urlCheck(spec: UrlCheckSpec, send: Send): SmokeCheck {
  const label = `${spec.method} ${spec.url}`;
  return {
    name: label,
    async run(signal) {
      const started = Date.now();
      let response;
      try {
        response = await send(
          { url: spec.url, method: spec.method, headers: Object.fromEntries(spec.headers), body: spec.body },
          signal,
        );
      } catch (error) {
        if (signal.aborted) throw error;
        return {
          steps: [
            {
              request: label,
              error: oneLine(error),
              retryable: errorKind(error) === 'transient',
              durationMs: Date.now() - started,
              assertions: [],
            },
          ],
        };
      }
      const statusOk = statusMatches(spec.expectedStatus, response.status);
      const assertions: AssertionOutcome[] = [
        {
          source: `HTTP ${spec.expectedStatus}`,
          ok: statusOk,
          expected: spec.expectedStatus,
          actual: String(response.status),
        },
        ...spec.asserts.map((a) => {
          const ctx = { vars: spec.variables, file: 'assertions', now: Date.now() };
          const { line: _line, ...result } = evaluateAssert(a, new BodyCache(response), ctx);
          return result;
        }),
      ];
      return {
        steps: [
          {
            request: label,
            status: response.status,
            durationMs: response.durationMs,
            assertions,
            retryable: !statusOk && NOT_READY_STATUSES.has(response.status),
          },
        ],
      };
    },
  };
}

/** A Hurl file: its entries in order, as one check. */
export function hurlCheck(
  file: HurlFile,
  deps: { send: Send; sendHttp2?: Send; variables: Variables; secrets: SecretRegistry; workspace?: string },
): SmokeCheck {
  return {
    name: file.path,
    file: file.path,
    async run(signal) {
      return { steps: await runHurlFile(file, { ...deps, signal }) };
    },
  };
}
