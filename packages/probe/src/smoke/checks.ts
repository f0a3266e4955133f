import type { SecretRegistry } from '@deploy-actions/core';
import type { Assert, HurlFile } from '../hurl/ast';
import { BodyCache, evaluateAssert } from '../hurl/evaluate';
import type { Variables } from '../hurl/template';
import { runHurlFile } from '../hurl/run';
import type { SmokeCheck } from './model';
import { type Send, statusCheck, type StatusCheckSpec } from './status';

export interface UrlCheckSpec extends StatusCheckSpec {
  asserts: Assert[];
  variables: Variables;
}

/** One request to a URL from the action's inputs: its status plus the extra (Hurl) assertions. */
export function urlCheck(spec: UrlCheckSpec, send: Send): SmokeCheck {
  return statusCheck(spec, send, (response) =>
    spec.asserts.map((a) => {
      const ctx = { vars: spec.variables, file: 'assertions', now: Date.now() };
      const { line: _line, ...result } = evaluateAssert(a, new BodyCache(response), ctx);
      return result;
    }),
  );
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
