import { runAction } from '@deploy-actions/core/runner';
import { type ActionConfig, parse } from './config';

void runAction<ActionConfig>({
  parse,
  async main(ctx, config) {
    const { run } = await import('./run');
    await run(ctx, config);
  },
  async post(ctx) {
    const { logout } = await import('./run');
    logout(ctx);
  },
});
