import { runAction } from '@deploy-actions/core/runner';
import { type MigrateConfig, parse } from './config';

void runAction<MigrateConfig>({
  parse,
  async main(ctx, config) {
    const { migrate } = await import('./migrate');
    await migrate(ctx, config);
  },
  async post(ctx, config) {
    if (ctx.state.get('finished') === 'true' || !ctx.state.get('started')) return;
    const { cleanUp } = await import('./migrate');
    await cleanUp(ctx, config);
  },
});
