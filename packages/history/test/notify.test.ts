import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MemoryLogger, SecretRegistry } from '@deploy-actions/core';
import { Inputs } from '@deploy-actions/core/runner';
import { startFakeWebhook } from '../../../test/fakes/webhook.mjs';
import { escapeMrkdwn, notifyAll, webhookNotifier } from '../src/notify';

describe('webhook notices', () => {
  let webhook: Awaited<ReturnType<typeof startFakeWebhook>>;
  beforeAll(async () => {
    webhook = await startFakeWebhook();
  });
  afterAll(async () => {
    await webhook?.stop();
  });

  test('reason text cannot mention the channel or inject links, and secrets are redacted before escaping', async () => {
    const secrets = new SecretRegistry();
    const secret = 'tok&"<en>|x';
    secrets.add(secret);
    const log = new MemoryLogger();
    const sent = await notifyAll(
      [webhookNotifier(webhook.url, log)],
      {
        ok: false,
        title: 'Rollback of <!here> prod',
        reason: `smoke failed: <!channel> see <https://evil.example|the fix> & token ${secret}`,
        fields: [['Version', 'v2 <@U123>']],
        links: [['run|<!channel>', 'https://github.example/run>|x']],
      },
      log,
      (text) => secrets.redact(text),
    );
    expect(sent).toEqual(['webhook']);
    const body = JSON.stringify(webhook.bodies.at(-1));
    expect(body).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    expect(body).toContain('&lt;!channel&gt;');
    expect(body).toContain('<https://github.example/run%3E%7Cx|run|&lt;!channel&gt;>');
    expect(secrets.contains(body)).toBe(false);
    expect(body).toContain('token ***');
  });

  test('escapeMrkdwn follows Slack: & < > only', () => {
    expect(escapeMrkdwn('a & <b> *c*')).toBe('a &amp; &lt;b&gt; *c*');
  });

  test('the webhook URL is masked whole and by its path, as errors print origin and path apart', () => {
    const secrets = new SecretRegistry();
    const url = new Inputs(secrets, { 'INPUT_NOTIFY-WEBHOOK': webhook.url }).secretUrl(
      'notify-webhook',
      ['http:', 'https:'],
      'https://hooks.slack.com/services/...',
      { secretPath: true },
    )!;
    const { host, pathname } = new URL(url);
    expect(secrets.redact(`could not notify webhook: ${url}`)).toBe('could not notify webhook: ***');
    expect(secrets.redact(`webhook at ${host}, path ${pathname}: HTTP 404`)).toBe(
      `webhook at ${host}, path ***: HTTP 404`,
    );
  });
});
