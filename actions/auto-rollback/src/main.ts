import { runAction } from '@deploy-actions/core/runner';
import { type RollbackConfig, parse } from './config';

void runAction<RollbackConfig>({
  parse,
  async main(ctx, config) {
    const { rollback } = await import('./rollback');
    await rollback(ctx, config);
  },
  // Nothing of its own: the runner seam ends the deploy/promote/abort commands a killed main step
  // left running (recorded in state) before this runs.
  async post() {},
});
