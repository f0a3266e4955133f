import { type Logger, oneLine, request, retry, statusError } from '@deploy-actions/core';
import type { GitHubRequest } from './index';

/** A message about a deployment event, rendered for each channel. */
export interface Notice {
  title: string;
  /** One line: why. */
  reason: string;
  fields: Array<[string, string]>;
  links: Array<[string, string]>;
  ok: boolean;
}

export interface Notifier {
  readonly name: string;
  send(notice: Notice): Promise<void>;
}

export function noticeMarkdown(n: Notice): string {
  return [
    `### ${n.ok ? '↩️' : '🚨'} ${n.title}`,
    '',
    n.reason,
    '',
    ...n.fields.map(([k, v]) => `- **${k}:** ${v}`),
    '',
    n.links.map(([label, url]) => `[${label}](${url})`).join(' · '),
    '',
  ].join('\n');
}

/**
 * Slack mrkdwn control characters as entities, as Slack documents for message text
 * (https://api.slack.com/reference/surfaces/formatting#escaping): with `<` and `>` escaped, text
 * can never open a `<!channel>` mention, a `<@user>` ping or a `<url|label>` link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mrkdwn link whose URL cannot close the link early or smuggle a label (`|` and `>` percent-encoded). */
function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}

/** The notice with every text redacted while still raw, before any channel escapes or encodes it. */
export function redactNotice(n: Notice, redact: (text: string) => string): Notice {
  const pairs = (list: Array<[string, string]>): Array<[string, string]> =>
    list.map(([a, b]) => [redact(a), redact(b)]);
  return { ...n, title: redact(n.title), reason: redact(n.reason), fields: pairs(n.fields), links: pairs(n.links) };
}

/** Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's /slack endpoint). */
export function webhookNotifier(url: string, log: Logger): Notifier {
  return {
    name: 'webhook',
    async send(n) {
      const text = `${n.ok ? ':leftwards_arrow_with_hook:' : ':rotating_light:'} *${escapeMrkdwn(n.title)}*: ${escapeMrkdwn(n.reason)}`;
      const body = {
        text,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text } },
          {
            type: 'section',
            fields: n.fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}` })),
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: n.links.map(([label, link]) => mrkdwnLink(link, label)).join(' · ') }],
          },
        ],
      };
      await retry(
        async () => {
          const res = await request({
            url,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            timeoutMs: 10_000,
          });
          if (res.status >= 300) throw statusError(res, 'webhook');
        },
        {
          timeoutMs: 30_000,
          what: 'notifying the webhook',
          onRetry: ({ error }) => log.info(`webhook: ${oneLine(error)}; retrying`),
        },
      );
    },
  };
}

/** A comment on an issue (a deploy log issue) or on the commit that was rolled back. */
export function githubCommentNotifier(
  req: GitHubRequest,
  owner: string,
  repo: string,
  where: { issue: number } | { commit: string },
): Notifier {
  return {
    name: 'issue' in where ? `issue #${where.issue}` : `commit ${where.commit.slice(0, 7)}`,
    async send(n) {
      if ('issue' in where)
        await req('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: where.issue,
          body: noticeMarkdown(n),
        });
      else
        await req('POST /repos/{owner}/{repo}/commits/{commit_sha}/comments', {
          owner,
          repo,
          commit_sha: where.commit,
          body: noticeMarkdown(n),
        });
    },
  };
}

/**
 * Sends to every channel; a failing channel is a warning, never the reason a rollback fails. Secrets
 * are redacted from the raw notice first, so no channel's escaping can hide one from redaction.
 */
export async function notifyAll(
  notifiers: readonly Notifier[],
  notice: Notice,
  log: Logger,
  redact: (text: string) => string = (text) => text,
): Promise<string[]> {
  const sent: string[] = [];
  const safe = redactNotice(notice, redact);
  for (const n of notifiers) {
    try {
      await n.send(safe);
      sent.push(n.name);
    } catch (error) {
      log.warning(`could not notify ${n.name}: ${oneLine(error)}`);
    }
  }
  return sent;
}
