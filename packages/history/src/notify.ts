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

/** Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's /slack endpoint). */
export function webhookNotifier(url: string, log: Logger): Notifier {
  return {
    name: 'webhook',
    async send(n) {
      const text = `${n.ok ? ':leftwards_arrow_with_hook:' : ':rotating_light:'} *${n.title}*: ${n.reason}`;
      const body = {
        text,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text } },
          { type: 'section', fields: n.fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: n.links.map(([label, link]) => `<${link}|${label}>`).join(' · ') }],
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

/** Sends to every channel; a failing channel is a warning, never the reason a rollback fails. */
export async function notifyAll(notifiers: readonly Notifier[], notice: Notice, log: Logger): Promise<string[]> {
  const sent: string[] = [];
  for (const n of notifiers) {
    try {
      await n.send(notice);
      sent.push(n.name);
    } catch (error) {
      log.warning(`could not notify ${n.name}: ${oneLine(error)}`);
    }
  }
  return sent;
}
