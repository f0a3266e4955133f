import { runAction } from '@deploy-actions/core/runner';
import { type CanaryConfig, parse } from './config';

void runAction<CanaryConfig>({
  parse,
  async main(ctx, config) {
    const { canary } = await import('./canary');
    await canary(ctx, config);
  },
  async post(ctx, config) {
    if (ctx.state.get('rollout') !== 'moving') return;
    const { restoreStable } = await import('./canary');
    await restoreStable(ctx, config);
  },
});
