import { errorKind, type HttpRequest, type HttpResponse, oneLine } from '@deploy-actions/core';
import type { AssertionOutcome, SmokeCheck } from './model';

/** Sends one HTTP exchange (no redirects followed: the Hurl runner follows them, cookie jar in hand). */
export type Send = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>;

/** Statuses that mean "not up yet" while waiting for readiness. */
export const NOT_READY_STATUSES = new Set([502, 503, 504]);

export interface StatusCheckSpec {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body?: string;
  /** `200`, `200,204`, `2xx`. */
  expectedStatus: string;
}

export function statusMatches(expected: string, status: number): boolean {
  return expected
    .split(',')
    .map((s) => s.trim())
    .some((s) => (/^\dxx$/.test(s) ? String(status)[0] === s[0] : Number(s) === status));
}

/**
 * One request to a URL: its status, plus whatever `moreAssertions` judges of the response. Refused
 * connections, timeouts and 502/503/504 count as "not ready yet", so runSmoke waits for them.
 */
export function statusCheck(
  spec: StatusCheckSpec,
  send: Send,
  moreAssertions: (response: HttpResponse) => AssertionOutcome[] = () => [],
): SmokeCheck {
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
        ...moreAssertions(response),
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
