import { runAction } from '@deploy-actions/core/runner';
import { type RollbackConfig, parse } from './config';

void runAction<RollbackConfig>({
  parse,
  async main(ctx, config) {
    const { rollback } = await import('./rollback');
    await rollback(ctx, config);
  },
});
